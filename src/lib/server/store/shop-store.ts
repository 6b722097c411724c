/**
 * The shop as the back office keeps it (issue 13): its profile (one row), staff and terminals.
 * Every change bumps the profile's `revision` in the same transaction, so each server instance
 * sees with one small query whether its copy is stale. The same SQL on PGlite and PostgreSQL.
 */
import type { OfflineLimits } from '$lib/orders/offline-limits';
import type { TerminalConfig } from '$lib/terminals/driver';
import type { SqlClient, SqlExecutor } from './sql';

export type { StaffRole } from '$lib/app/roles';
import type { StaffRole } from '$lib/app/roles';

export interface ShopProfile {
	name: string;
	address: string;
	taxNumber: string;
	currency: string;
	locale: string;
	timeZone: string;
	receiptHeader: string;
	receiptFooter: string;
	devicePrefix: string;
	demo: boolean;
	offlineLimits?: OfflineLimits;
}

export interface StaffRecord {
	id: string;
	name: string;
	role: StaffRole;
	pinHash: string;
	active: boolean;
}

export interface ShopSnapshot {
	revision: number;
	profile: ShopProfile;
	/** sha256 of the code that pairs the first till (rotatable), null when none. */
	pairingCodeHash: string | null;
	staff: StaffRecord[];
	terminals: TerminalConfig[];
}

export interface NewShop {
	profile: ShopProfile;
	pairingCodeHash: string;
	staff: StaffRecord[];
	terminals: TerminalConfig[];
	/** Where it came from: `setup` or the seed file's path. */
	source: string;
	now: number;
}

interface ProfileRow {
	revision: number;
	name: string;
	address: string;
	tax_number: string;
	currency: string;
	locale: string;
	time_zone: string;
	receipt_header: string;
	receipt_footer: string;
	device_prefix: string;
	demo: boolean;
	offline_limits: OfflineLimits | null;
	pairing_code_hash: string | null;
}

interface StaffRow {
	id: string;
	name: string;
	role: StaffRole;
	pin_hash: string;
	active: boolean;
}

interface TerminalRow {
	id: string;
	name: string;
	rail: TerminalConfig['rail'];
	currency: string;
	params: TerminalConfig['params'];
}

/** Serialises PIN changes across instances (the uniqueness check runs inside the lock). */
const STAFF_LOCK = 7_031_943;

const json = (value: unknown) => JSON.stringify(value);

const toStaff = (row: StaffRow): StaffRecord => ({
	id: row.id,
	name: row.name,
	role: row.role,
	pinHash: row.pin_hash,
	active: row.active
});

async function bump(tx: SqlExecutor, now: number): Promise<void> {
	await tx.query('update shop_profile set revision = revision + 1, updated_at = $1 where id = 1', [
		now
	]);
}

async function insertStaff(tx: SqlExecutor, member: StaffRecord, now: number): Promise<void> {
	await tx.query(
		`insert into staff (id, name, role, pin_hash, active, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $6)`,
		[member.id, member.name, member.role, member.pinHash, member.active, now]
	);
}

async function upsertTerminal(
	tx: SqlExecutor,
	terminal: TerminalConfig,
	position: number,
	now: number
): Promise<void> {
	await tx.query(
		`insert into shop_terminals (id, name, rail, currency, params, position, created_at, updated_at)
		values ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $7)
		on conflict (id) do update set name = excluded.name, rail = excluded.rail,
			currency = excluded.currency, params = excluded.params, updated_at = excluded.updated_at`,
		[
			terminal.id,
			terminal.name,
			terminal.rail,
			terminal.currency,
			json(terminal.params),
			position,
			now
		]
	);
}

export class ShopStore {
	readonly #db: SqlClient;

	constructor(db: SqlClient) {
		this.#db = db;
	}

	/** The profile's revision; null while no shop exists. */
	async revision(): Promise<number | null> {
		const rows = await this.#db.query<{ revision: number }>(
			'select revision from shop_profile where id = 1'
		);
		return rows[0] ? Number(rows[0].revision) : null;
	}

	/**
	 * Creates the shop, its staff and terminals in one transaction. False (and nothing written) when
	 * a shop exists already: the profile's single-row key lets exactly one of racing setups win.
	 */
	async create(shop: NewShop): Promise<boolean> {
		return this.#db.transaction(async (tx) => {
			const p = shop.profile;
			const rows = await tx.query(
				`insert into shop_profile (id, name, address, tax_number, currency, locale, time_zone,
					receipt_header, receipt_footer, device_prefix, demo, offline_limits, pairing_code_hash,
					seeded_from, created_at, updated_at)
				values (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb, $12, $13, $14, $14)
				on conflict (id) do nothing
				returning id`,
				[
					p.name,
					p.address,
					p.taxNumber,
					p.currency,
					p.locale,
					p.timeZone,
					p.receiptHeader,
					p.receiptFooter,
					p.devicePrefix,
					p.demo,
					p.offlineLimits ? json(p.offlineLimits) : null,
					shop.pairingCodeHash,
					shop.source,
					shop.now
				]
			);
			if (rows.length === 0) return false;
			for (const member of shop.staff) await insertStaff(tx, member, shop.now);
			for (const [i, terminal] of shop.terminals.entries()) {
				await upsertTerminal(tx, terminal, i, shop.now);
			}
			return true;
		});
	}

	/** Everything the server hands out, or null while no shop exists. */
	async snapshot(): Promise<ShopSnapshot | null> {
		const profiles = await this.#db.query<ProfileRow>(
			`select revision, name, address, tax_number, currency, locale, time_zone, receipt_header,
				receipt_footer, device_prefix, demo, offline_limits, pairing_code_hash
			from shop_profile where id = 1`
		);
		const row = profiles[0];
		if (!row) return null;
		const staff = await this.listStaff();
		const terminals = await this.#db.query<TerminalRow>(
			'select id, name, rail, currency, params from shop_terminals order by position, created_at, id'
		);
		return {
			revision: Number(row.revision),
			pairingCodeHash: row.pairing_code_hash,
			profile: {
				name: row.name,
				address: row.address,
				taxNumber: row.tax_number,
				currency: row.currency,
				locale: row.locale,
				timeZone: row.time_zone,
				receiptHeader: row.receipt_header,
				receiptFooter: row.receipt_footer,
				devicePrefix: row.device_prefix,
				demo: row.demo,
				...(row.offline_limits ? { offlineLimits: row.offline_limits } : {})
			},
			staff,
			terminals: terminals.map((t) => ({
				id: t.id,
				name: t.name,
				rail: t.rail,
				currency: t.currency,
				params: t.params
			}))
		};
	}

	async updateProfile(
		change: Omit<ShopProfile, 'demo' | 'offlineLimits' | 'devicePrefix'>,
		now: number
	): Promise<void> {
		await this.#db.query(
			`update shop_profile set name = $1, address = $2, tax_number = $3, currency = $4,
				locale = $5, time_zone = $6, receipt_header = $7, receipt_footer = $8,
				revision = revision + 1, updated_at = $9
			where id = 1`,
			[
				change.name,
				change.address,
				change.taxNumber,
				change.currency,
				change.locale,
				change.timeZone,
				change.receiptHeader,
				change.receiptFooter,
				now
			]
		);
	}

	async setPairingCodeHash(hash: string, now: number): Promise<void> {
		await this.#db.query(
			`update shop_profile set pairing_code_hash = $1, revision = revision + 1, updated_at = $2
			where id = 1`,
			[hash, now]
		);
	}

	async listStaff(): Promise<StaffRecord[]> {
		const rows = await this.#db.query<StaffRow>(
			'select id, name, role, pin_hash, active from staff order by created_at, id'
		);
		return rows.map(toStaff);
	}

	/**
	 * Changes staff under one lock across instances: `change` sees every member as they are now and
	 * returns the members to write (new or changed), or a refusal. What it returns is written, with
	 * the revision bump, in the same transaction.
	 */
	async changeStaff<T>(
		now: number,
		change: (staff: StaffRecord[]) => Promise<{ write: StaffRecord[]; result: T } | { refuse: T }>
	): Promise<T> {
		return this.#db.transaction(async (tx) => {
			await tx.query('select pg_advisory_xact_lock($1)', [STAFF_LOCK]);
			const rows = await tx.query<StaffRow>(
				'select id, name, role, pin_hash, active from staff order by created_at, id'
			);
			const outcome = await change(rows.map(toStaff));
			if ('refuse' in outcome) return outcome.refuse;
			for (const member of outcome.write) {
				const updated = await tx.query(
					`update staff set name = $2, role = $3, pin_hash = $4, active = $5, updated_at = $6
					where id = $1 returning id`,
					[member.id, member.name, member.role, member.pinHash, member.active, now]
				);
				if (updated.length === 0) await insertStaff(tx, member, now);
			}
			await bump(tx, now);
			return outcome.result;
		});
	}

	/** Adds or replaces a terminal (a new one goes last). */
	async putTerminal(terminal: TerminalConfig, now: number): Promise<void> {
		await this.#db.transaction(async (tx) => {
			const rows = await tx.query<{ next: number }>(
				'select coalesce(max(position), -1) + 1 as next from shop_terminals'
			);
			await upsertTerminal(tx, terminal, Number(rows[0]?.next ?? 0), now);
			await bump(tx, now);
		});
	}

	/** False when there was no such terminal. */
	async removeTerminal(id: string, now: number): Promise<boolean> {
		return this.#db.transaction(async (tx) => {
			const rows = await tx.query('delete from shop_terminals where id = $1 returning id', [id]);
			if (rows.length > 0) await bump(tx, now);
			return rows.length > 0;
		});
	}
}
