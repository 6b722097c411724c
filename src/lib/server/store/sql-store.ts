/** The `Store` over any `SqlClient` (PGlite or PostgreSQL): the same SQL for both. */
import type { StoredRecords } from '../sync/judge-batch';
import { CatalogStore } from '../catalog/catalog-store';
import { CloudOrderStore } from './cloud-order-store';
import {
	beginIotPaySale,
	getIotPaySale,
	updateIotPaySale,
	type IotPaySale,
	type IotPaySaleUpdate,
	type NewIotPaySale
} from './iotpay-store';
import { migrate } from './migrations';
import { ShopStore } from './shop-store';
import type { SqlClient } from './sql';
import {
	applySync,
	listQuarantine,
	listTillReported,
	loadStoredRecords,
	type QuarantinedRecord,
	type SyncApplied,
	type SyncWrite,
	type TillReportedTender
} from './sync-store';
import { TillStore } from './till-store';
import {
	type ApprovalRecord,
	type AuditEntry,
	type CounterState,
	type DeviceRecord,
	type NotificationRecord,
	type OrderQuery,
	type Store
} from './types';

interface DeviceRow {
	id: string;
	number: number;
	name: string;
	created_at: number;
	last_seen_at: number;
	revoked_at: number | null;
}

interface ApprovalRow {
	id: string;
	device_id: string;
	manager_id: string;
	requested_by: string | null;
	action: ApprovalRecord['action'];
	order_id: string | null;
	orig_attempt_id: string | null;
	orig_merchant_order_no: string | null;
	amount: number | null;
	terminal_id: string | null;
	created_at: number;
	expires_at: number | null;
	used_by_attempt_id: string | null;
	relay_merchant_order_no: string | null;
}

const APPROVAL_COLUMNS = `id, device_id, manager_id, requested_by, action, order_id, orig_attempt_id,
	orig_merchant_order_no, amount, terminal_id, created_at, expires_at, used_by_attempt_id,
	relay_merchant_order_no`;
const SELECT_APPROVAL = `select ${APPROVAL_COLUMNS} from approvals`;

function toApproval(row: ApprovalRow): ApprovalRecord {
	const optional = <T>(value: T | null) => (value === null ? undefined : value);
	return {
		id: row.id,
		deviceId: row.device_id,
		managerId: row.manager_id,
		requestedBy: row.requested_by,
		action: row.action,
		orderId: optional(row.order_id),
		origAttemptId: optional(row.orig_attempt_id),
		origMerchantOrderNo: optional(row.orig_merchant_order_no),
		amount: row.amount === null ? undefined : Number(row.amount),
		terminalId: optional(row.terminal_id),
		createdAt: Number(row.created_at),
		// Approvals from before they expired (schema v1) are treated as expired.
		expiresAt: row.expires_at === null ? 0 : Number(row.expires_at),
		usedByAttemptId: row.used_by_attempt_id,
		relayMerchantOrderNo: row.relay_merchant_order_no
	};
}

interface CounterRow {
	failures: number;
	window_start: number;
	locked_until: number;
	lock_count: number;
}

function toCounter(row: CounterRow): CounterState {
	return {
		failures: Number(row.failures),
		windowStart: Number(row.window_start),
		lockedUntil: Number(row.locked_until),
		lockCount: Number(row.lock_count)
	};
}

interface AuditRow {
	at: number;
	kind: string;
	device_id: string | null;
	staff_id: string | null;
	detail: Record<string, unknown>;
}

function toDevice(row: DeviceRow): DeviceRecord {
	return {
		id: row.id,
		number: Number(row.number),
		name: row.name,
		createdAt: Number(row.created_at),
		lastSeenAt: Number(row.last_seen_at),
		revokedAt: row.revoked_at === null ? null : Number(row.revoked_at)
	};
}

/** jsonb parameters travel as text: node-postgres would turn a JS array into a SQL array. */
const json = (value: unknown) => JSON.stringify(value);

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class SqlStore implements Store {
	readonly #db: SqlClient;

	readonly cloudOrders: CloudOrderStore;
	readonly catalog: CatalogStore;
	readonly shop: ShopStore;
	readonly tills: TillStore;

	private constructor(db: SqlClient) {
		this.#db = db;
		this.cloudOrders = new CloudOrderStore(db);
		this.catalog = new CatalogStore(db);
		this.shop = new ShopStore(db);
		this.tills = new TillStore(db);
	}

	/** Wraps a connection and brings its schema up to date. */
	static async open(db: SqlClient): Promise<SqlStore> {
		await migrate(db);
		return new SqlStore(db);
	}

	get kind() {
		return this.#db.kind;
	}

	async ping(): Promise<void> {
		await this.#db.query('select 1');
	}

	close(): Promise<void> {
		return this.#db.close();
	}

	async createDevice(input: { id: string; name: string; tokenHash: string; now: number }) {
		const rows = await this.#db.query<DeviceRow>(
			`insert into devices (id, name, token_hash, created_at, last_seen_at)
			values ($1, $2, $3, $4, $4)
			returning id, number, name, created_at, last_seen_at, revoked_at`,
			[input.id, input.name, input.tokenHash, input.now]
		);
		const row = rows[0];
		if (!row) throw new Error('Inserting the device returned nothing.');
		return toDevice(row);
	}

	async findDeviceByTokenHash(tokenHash: string): Promise<DeviceRecord | null> {
		const rows = await this.#db.query<DeviceRow>(
			'select id, number, name, created_at, last_seen_at, revoked_at from devices where token_hash = $1',
			[tokenHash]
		);
		return rows[0] ? toDevice(rows[0]) : null;
	}

	async getDevice(id: string): Promise<DeviceRecord | null> {
		const rows = await this.#db.query<DeviceRow>(
			'select id, number, name, created_at, last_seen_at, revoked_at from devices where id = $1',
			[id]
		);
		return rows[0] ? toDevice(rows[0]) : null;
	}

	async touchDevice(id: string, now: number): Promise<void> {
		await this.#db.query(
			'update devices set last_seen_at = $2 where id = $1 and last_seen_at < $2',
			[id, now]
		);
	}

	/** See `sync-store.ts`. */
	applySync(deviceId: string, write: SyncWrite): Promise<SyncApplied> {
		return applySync(this.#db, deviceId, write);
	}

	loadStoredRecords(names: Parameters<Store['loadStoredRecords']>[0]): Promise<StoredRecords> {
		return loadStoredRecords(this.#db, names);
	}

	listTillReported(day: string): Promise<TillReportedTender[]> {
		return listTillReported(this.#db, day);
	}

	listQuarantine(day: string): Promise<QuarantinedRecord[]> {
		return listQuarantine(this.#db, day);
	}

	async listOrders(query: OrderQuery): Promise<Record<string, unknown>[]> {
		const q = query.q?.trim() || null;
		const rows = await this.#db.query<{ body: Record<string, unknown> }>(
			`select body from orders
			where ($1::text is null or day = $1)
				and ($2::text is null or number ilike $3 escape '\\' or id = $2)
			order by created_at desc, id
			limit $4 offset $5`,
			[
				query.day ?? null,
				q,
				q === null ? null : `%${likeEscape(q)}%`,
				query.limit,
				query.offset ?? 0
			]
		);
		return rows.map((row) => row.body);
	}

	async recordApproval(a: ApprovalRecord): Promise<void> {
		await this.#db.query(
			`insert into approvals (id, device_id, manager_id, requested_by, action, order_id,
				orig_attempt_id, orig_merchant_order_no, amount, terminal_id, created_at, expires_at,
				used_by_attempt_id, relay_merchant_order_no)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			[
				a.id,
				a.deviceId,
				a.managerId,
				a.requestedBy,
				a.action,
				a.orderId ?? null,
				a.origAttemptId ?? null,
				a.origMerchantOrderNo ?? null,
				a.amount ?? null,
				a.terminalId ?? null,
				a.createdAt,
				a.expiresAt,
				a.usedByAttemptId,
				a.relayMerchantOrderNo
			]
		);
	}

	async getApproval(id: string): Promise<ApprovalRecord | null> {
		const rows = await this.#db.query<ApprovalRow>(`${SELECT_APPROVAL} where id = $1`, [id]);
		return rows[0] ? toApproval(rows[0]) : null;
	}

	async useApproval(id: string, attemptId: string): Promise<boolean> {
		const rows = await this.#db.query(
			`update approvals set used_by_attempt_id = $2
			where id = $1 and (used_by_attempt_id is null or used_by_attempt_id = $2)
			returning id`,
			[id, attemptId]
		);
		return rows.length > 0;
	}

	async claimApprovalForFrame(input: {
		deviceId: string;
		action: ApprovalRecord['action'];
		origMerchantOrderNo: string;
		amount: number | null;
		merchantOrderNo: string;
		now: number;
	}): Promise<ApprovalRecord | null> {
		// One statement, so two relays (or two instances) cannot let two frames through on one approval.
		const rows = await this.#db.query<ApprovalRow>(
			`update approvals set relay_merchant_order_no = $5
			where id = (
				select id from approvals
				where device_id = $1 and action = $2 and orig_merchant_order_no = $3
					and ($4::bigint is null or amount = $4) and relay_merchant_order_no is null
					and expires_at > $6
				order by created_at, id
				limit 1
				for update skip locked
			)
			returning ${APPROVAL_COLUMNS}`,
			[
				input.deviceId,
				input.action,
				input.origMerchantOrderNo,
				input.amount,
				input.merchantOrderNo,
				input.now
			]
		);
		return rows[0] ? toApproval(rows[0]) : null;
	}

	async claimBatchCloseApproval(input: {
		deviceId: string;
		terminalId: string;
		requestId: string;
		now: number;
	}): Promise<ApprovalRecord | null> {
		// As claimApprovalForFrame: one statement, so one approval lets one batch close through.
		const rows = await this.#db.query<ApprovalRow>(
			`update approvals set relay_merchant_order_no = $3
			where id = (
				select id from approvals
				where device_id = $1 and action = 'batch_close' and terminal_id = $2
					and relay_merchant_order_no is null and expires_at > $4
				order by created_at, id
				limit 1
				for update skip locked
			)
			returning ${APPROVAL_COLUMNS}`,
			[input.deviceId, input.terminalId, input.requestId, input.now]
		);
		return rows[0] ? toApproval(rows[0]) : null;
	}

	async recordSignIn(deviceId: string, staffId: string, at: number): Promise<void> {
		await this.#db.query(
			`insert into staff_sign_ins (device_id, staff_id, first_at, last_at) values ($1, $2, $3, $3)
			on conflict (device_id, staff_id) do update set last_at = greatest(staff_sign_ins.last_at, $3)`,
			[deviceId, staffId, at]
		);
	}

	async hasSignedIn(deviceId: string, staffId: string): Promise<boolean> {
		const rows = await this.#db.query(
			'select 1 from staff_sign_ins where device_id = $1 and staff_id = $2',
			[deviceId, staffId]
		);
		return rows.length > 0;
	}

	async recordNotification(n: NotificationRecord): Promise<boolean> {
		const rows = await this.#db.query(
			`insert into notifications (id, source, dedupe_key, received_at, body)
			values ($1, $2, $3, $4, $5::text::jsonb)
			on conflict (dedupe_key) do nothing
			returning id`,
			[n.id, n.source, n.dedupeKey, n.receivedAt, json(n.body)]
		);
		return rows.length > 0;
	}

	updateCounters<T>(
		keys: readonly string[],
		decide: (current: CounterState[]) => { next: CounterState[] | null; result: T }
	): Promise<T> {
		// Sorted, so two requests locking overlapping keys take them in one order (no deadlock).
		const sorted = [...new Set(keys)].sort();
		return this.#db.transaction(async (tx) => {
			const current: CounterState[] = [];
			for (const key of sorted) {
				await tx.query(
					`insert into auth_counters (key, failures, window_start, locked_until, lock_count)
					values ($1, 0, 0, 0, 0) on conflict (key) do nothing`,
					[key]
				);
				const rows = await tx.query<CounterRow>(
					`select failures, window_start, locked_until, lock_count from auth_counters
					where key = $1 for update`,
					[key]
				);
				const row = rows[0];
				if (!row) throw new Error(`The counter ${key} vanished.`);
				current.push(toCounter(row));
			}
			const byKey = new Map(sorted.map((key, i) => [key, current[i] as CounterState]));
			const { next, result } = decide(keys.map((key) => byKey.get(key) as CounterState));
			if (next) {
				for (const [i, key] of keys.entries()) {
					const state = next[i];
					if (!state) continue;
					await tx.query(
						`update auth_counters set failures = $2, window_start = $3, locked_until = $4,
							lock_count = $5 where key = $1`,
						[key, state.failures, state.windowStart, state.lockedUntil, state.lockCount]
					);
				}
			}
			return result;
		});
	}

	async recordAudit(entry: AuditEntry): Promise<void> {
		await this.#db.query(
			`insert into audit_log (at, kind, device_id, staff_id, detail)
			values ($1, $2, $3, $4, $5::text::jsonb)`,
			[entry.at, entry.kind, entry.deviceId, entry.staffId, json(entry.detail)]
		);
	}

	async listAudit(query: { kind?: string; limit: number }): Promise<AuditEntry[]> {
		const rows = await this.#db.query<AuditRow>(
			`select at, kind, device_id, staff_id, detail from audit_log
			where ($1::text is null or kind = $1)
			order by at desc, id desc limit $2`,
			[query.kind ?? null, query.limit]
		);
		return rows.map((row) => ({
			at: Number(row.at),
			kind: row.kind,
			deviceId: row.device_id,
			staffId: row.staff_id,
			detail: row.detail
		}));
	}

	async addPairingCode(code: {
		codeHash: string;
		issuedBy: string;
		deviceId: string;
		createdAt: number;
		expiresAt: number;
	}): Promise<boolean> {
		const rows = await this.#db.query(
			`insert into pairing_codes (code_hash, kind, issued_by, device_id, created_at, expires_at)
			values ($1, 'issued', $2, $3, $4, $5)
			on conflict (code_hash) do nothing
			returning code_hash`,
			[code.codeHash, code.issuedBy, code.deviceId, code.createdAt, code.expiresAt]
		);
		return rows.length > 0;
	}

	async usePairingCode(codeHash: string, now: number): Promise<boolean> {
		// One statement: two tills (or two instances) racing with one code cannot both get it.
		const rows = await this.#db.query(
			`update pairing_codes set used_at = $2
			where code_hash = $1 and kind = 'issued' and used_at is null and expires_at > $2
			returning code_hash`,
			[codeHash, now]
		);
		return rows.length > 0;
	}

	async useBootstrapCode(codeHash: string, now: number): Promise<boolean> {
		const rows = await this.#db.query(
			`insert into pairing_codes (code_hash, kind, created_at, used_at)
			values ($1, 'bootstrap', $2, $2)
			on conflict (code_hash) do nothing
			returning code_hash`,
			[codeHash, now]
		);
		return rows.length > 0;
	}

	async ensureSecret(name: string, fresh: string, now: number): Promise<string> {
		await this.#db.query(
			`insert into server_secrets (name, value, created_at) values ($1, $2, $3)
			on conflict (name) do nothing`,
			[name, fresh, now]
		);
		// A second statement, so it sees the row another instance committed meanwhile.
		const rows = await this.#db.query<{ value: string }>(
			'select value from server_secrets where name = $1',
			[name]
		);
		const value = rows[0]?.value;
		if (!value) throw new Error(`The secret ${name} could not be kept.`);
		return value;
	}

	beginIotPaySale(sale: NewIotPaySale): Promise<{ created: boolean; sale: IotPaySale }> {
		return beginIotPaySale(this.#db, sale);
	}

	getIotPaySale(merchantOrderNo: string): Promise<IotPaySale | null> {
		return getIotPaySale(this.#db, merchantOrderNo);
	}

	updateIotPaySale(merchantOrderNo: string, update: IotPaySaleUpdate): Promise<IotPaySale | null> {
		return updateIotPaySale(this.#db, merchantOrderNo, update);
	}

	/** For tests and maintenance: runs a read-only query. */
	select<T>(text: string, params?: unknown[]): Promise<T[]> {
		return this.#db.query<T>(text, params);
	}
}
