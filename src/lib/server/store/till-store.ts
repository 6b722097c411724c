/**
 * What the back office knows of the enrolled tills (issue 13): name, when each was last seen, what
 * it last said it still had to sync and its app version; renaming and revoking. A revoked till's
 * token stays in its row (so the guard can say why it is refused) but opens nothing.
 */
import type { SqlClient } from './sql';

export interface TillRecord {
	id: string;
	number: number;
	name: string;
	createdAt: number;
	lastSeenAt: number;
	appVersion: string | null;
	/** Journal records the till said it still had to upload, and when it said so. */
	unsynced: number | null;
	reportedAt: number | null;
	revokedAt: number | null;
	revokedBy: string | null;
}

interface Row {
	id: string;
	number: number;
	name: string;
	created_at: number;
	last_seen_at: number;
	app_version: string | null;
	unsynced: number | null;
	reported_at: number | null;
	revoked_at: number | null;
	revoked_by: string | null;
}

const nullableNumber = (value: number | null) => (value === null ? null : Number(value));

function toTill(row: Row): TillRecord {
	return {
		id: row.id,
		number: Number(row.number),
		name: row.name,
		createdAt: Number(row.created_at),
		lastSeenAt: Number(row.last_seen_at),
		appVersion: row.app_version,
		unsynced: nullableNumber(row.unsynced),
		reportedAt: nullableNumber(row.reported_at),
		revokedAt: nullableNumber(row.revoked_at),
		revokedBy: row.revoked_by
	};
}

const COLUMNS = `id, number, name, created_at, last_seen_at, app_version, unsynced, reported_at,
	revoked_at, revoked_by`;

export class TillStore {
	readonly #db: SqlClient;

	constructor(db: SqlClient) {
		this.#db = db;
	}

	async list(): Promise<TillRecord[]> {
		const rows = await this.#db.query<Row>(`select ${COLUMNS} from devices order by number`);
		return rows.map(toTill);
	}

	async get(id: string): Promise<TillRecord | null> {
		const rows = await this.#db.query<Row>(`select ${COLUMNS} from devices where id = $1`, [id]);
		return rows[0] ? toTill(rows[0]) : null;
	}

	/** What the till says of itself on a sync or health call; written only when it changed. */
	async report(
		id: string,
		report: { unsynced?: number; appVersion?: string },
		now: number
	): Promise<void> {
		await this.#db.query(
			`update devices set unsynced = coalesce($2, unsynced), app_version = coalesce($3, app_version),
				reported_at = $4
			where id = $1 and revoked_at is null
				and (($2::integer is not null and unsynced is distinct from $2::integer)
					or ($3::text is not null and app_version is distinct from $3::text))`,
			[id, report.unsynced ?? null, report.appVersion ?? null, now]
		);
	}

	/** The till as it is now, or null when there is no such till. */
	async rename(id: string, name: string): Promise<TillRecord | null> {
		const rows = await this.#db.query<Row>(
			`update devices set name = $2 where id = $1 returning ${COLUMNS}`,
			[id, name]
		);
		return rows[0] ? toTill(rows[0]) : null;
	}

	/** Revokes once; the first revocation's time and author are kept. Null when no such till. */
	async revoke(id: string, by: string, now: number): Promise<TillRecord | null> {
		await this.#db.query(
			'update devices set revoked_at = $2, revoked_by = $3 where id = $1 and revoked_at is null',
			[id, now, by]
		);
		return this.get(id);
	}
}
