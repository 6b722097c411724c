/**
 * The SQL behind sync: what the server holds of an upload's records, storing the believed ones
 * (each in its own savepoint, so one that fails cannot take the others with it), quarantining the
 * refused ones, and the lists the back office reconciles at the day's close.
 */
import type { StoredRecords } from '../sync/judge-batch';
import { quarantineEntry, type QuarantineEntry } from '../sync/quarantine';
import type { Rejection } from '../sync/parse-batch';
import { recordSeqs } from '../sync/record-seqs';
import type {
	SyncAttempt,
	SyncBatch,
	SyncCounts,
	SyncEntity,
	SyncOrder,
	SyncTender
} from '../sync/sync-schema';
import { sqlState, UNIQUE_VIOLATION, type SqlClient, type SqlExecutor } from './sql';

export interface SyncWrite extends SyncBatch {
	/** Card tenders stored as the till's word (see `judge-batch.ts`). */
	tillReported?: ReadonlySet<string>;
	/** Attempt id → the approval it uses: bound once, with the attempt, or the attempt is refused. */
	approvals?: ReadonlyMap<string, readonly string[]>;
	rejected?: readonly Rejection[];
	now?: number;
}

export type RecordOutcome = 'applied' | 'held' | 'stale';

export interface SyncApplied {
	/** Rows that changed. */
	applied: SyncCounts;
	/** Per record: applied, already held as sent, or stale (the server holds a later version). */
	records: { entity: SyncEntity; id: string; outcome: RecordOutcome }[];
	rejected: { entity: SyncEntity; id: string; reason: string; message: string }[];
}

export interface TillReportedTender {
	deviceId: string;
	tender: Record<string, unknown>;
	attempt: Record<string, unknown> | null;
}

export interface QuarantinedRecord {
	deviceId: string;
	entity: string;
	id: string;
	reason: string;
	message: string;
	day: string;
	receivedAt: number;
	raw: string;
}

/** jsonb parameters travel as text: node-postgres would turn a JS array into a SQL array. */
const json = (value: unknown) => JSON.stringify(value);
const ids = (list: readonly string[]) => json([...new Set(list)]);
const IN = (n: number) => `(select jsonb_array_elements_text($${n}::text::jsonb))`;

// A version lands only from the device that created the record, and only when it is newer: by
// the event seq when the batch names it (the till's clock may go back), else by `updatedAt`.
const NEWER = `t.device_id = excluded.device_id and case
	when excluded.seq is not null then coalesce(t.seq, 0) < excluded.seq
	else t.updated_at < excluded.updated_at end`;

const UPSERT = {
	order: `insert into orders as t (id, device_id, number, status, total, currency, day, created_at, updated_at, seq, body)
	values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb)
	on conflict (id) do update set
		number = excluded.number, status = excluded.status, total = excluded.total,
		currency = excluded.currency, day = excluded.day, updated_at = excluded.updated_at,
		seq = coalesce(excluded.seq, t.seq), body = excluded.body
	where ${NEWER}
	returning id`,
	attempt: `insert into attempts as t (id, device_id, order_id, merchant_order_no, state, amount, currency, created_at, updated_at, seq, body)
	values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb)
	on conflict (id) do update set
		state = excluded.state, amount = excluded.amount, updated_at = excluded.updated_at,
		seq = coalesce(excluded.seq, t.seq), body = excluded.body
	where ${NEWER}
	returning id`,
	tender: `insert into tenders as t (id, device_id, order_id, kind, status, amount, created_at, updated_at, seq, body, till_reported, day)
	values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)
	on conflict (id) do update set
		status = excluded.status, amount = excluded.amount, updated_at = excluded.updated_at,
		seq = coalesce(excluded.seq, t.seq), body = excluded.body,
		till_reported = excluded.till_reported, day = excluded.day
	where ${NEWER}
	returning id`
} as const;

const TABLE = { order: 'orders', attempt: 'attempts', tender: 'tenders' } as const;

const INSERT_EVENT = `
	insert into journal_events (device_id, seq, at, body) values ($1, $2, $3, $4::text::jsonb)
	on conflict (device_id, seq) do nothing
	returning seq`;

const BIND_APPROVAL = `update approvals set used_by_attempt_id = $2
	where id = $1 and (used_by_attempt_id is null or used_by_attempt_id = $2)
	returning id`;

// Kept, never overwritten: a till resending an id with another fault adds to the evidence, it
// does not replace what the back office has to look at. The very same record again adds nothing.
const QUARANTINE = `
	insert into sync_quarantine (device_id, entity, entity_id, reason, message, day, received_at, raw)
	select $1, $2, $3, $4, $5, $6, $7, $8
	where not exists (
		select 1 from sync_quarantine
		where device_id = $1 and entity = $2 and entity_id = $3 and reason = $4 and raw = $8
	)`;

export async function loadStoredRecords(
	db: SqlExecutor,
	names: {
		orderIds: string[];
		attemptIds: string[];
		tenderIds: string[];
		merchantOrderNos: string[];
	}
): Promise<StoredRecords> {
	type Row<T> = { device_id: string; body: T };
	const toStored = <T>(rows: Row<T>[]) =>
		rows.map((r) => ({ deviceId: r.device_id, body: r.body }));
	const [orders, attempts, tenders] = await Promise.all([
		db.query<Row<SyncOrder>>(`select device_id, body from orders where id in ${IN(1)}`, [
			ids(names.orderIds)
		]),
		db.query<Row<SyncAttempt>>(
			// Every attempt of the orders named too: the refunds and voids a tender's figures rest on.
			`select device_id, body from attempts
			where id in ${IN(1)} or merchant_order_no in ${IN(2)} or order_id in ${IN(3)}`,
			[ids(names.attemptIds), ids(names.merchantOrderNos), ids(names.orderIds)]
		),
		db.query<Row<SyncTender>>(
			`select device_id, body from tenders where id in ${IN(1)} or order_id in ${IN(2)}`,
			[ids(names.tenderIds), ids(names.orderIds)]
		)
	]);
	return { orders: toStored(orders), attempts: toStored(attempts), tenders: toStored(tenders) };
}

function upsertParams(
	entity: 'order' | 'attempt' | 'tender',
	record: SyncOrder | SyncAttempt | SyncTender,
	deviceId: string,
	seq: number | null,
	tillReported: boolean
): unknown[] {
	if (entity === 'order') {
		const o = record as SyncOrder;
		return [
			o.id,
			deviceId,
			o.number,
			o.status,
			o.total,
			o.currency,
			o.day,
			o.createdAt,
			o.updatedAt,
			seq,
			json(o)
		];
	}
	if (entity === 'attempt') {
		const a = record as SyncAttempt;
		return [
			a.id,
			deviceId,
			a.orderId,
			a.merchantOrderNo,
			a.state,
			a.amount,
			a.currency,
			a.createdAt,
			a.updatedAt,
			seq,
			json(a)
		];
	}
	const t = record as SyncTender;
	return [
		t.id,
		deviceId,
		t.orderId,
		t.kind,
		t.status,
		t.amount,
		t.createdAt,
		t.updatedAt ?? t.createdAt,
		seq,
		json(t),
		tillReported,
		t.day
	];
}

/** Why a version that did not land did not: the same version is held, or a later one. */
async function notApplied(
	tx: SqlExecutor,
	entity: 'order' | 'attempt' | 'tender',
	record: { id: string; updatedAt?: number; createdAt: number },
	deviceId: string,
	seq: number | null
): Promise<RecordOutcome | 'other_device'> {
	const [row] = await tx.query<{
		device_id: string;
		seq: string | null;
		updated_at: string;
		same_body: boolean;
	}>(
		`select device_id, seq, updated_at, body = $2::text::jsonb as same_body
		from ${TABLE[entity]} where id = $1`,
		[record.id, json(record)]
	);
	if (!row || row.device_id !== deviceId) return 'other_device';
	const sameStamp =
		seq !== null
			? row.seq !== null && Number(row.seq) === seq
			: Number(row.updated_at) === (record.updatedAt ?? record.createdAt);
	// "Held" only when the server holds this very version; another one under the same stamp was
	// not applied, and the till is told so.
	return sameStamp && row.same_body ? 'held' : 'stale';
}

export async function applySync(
	db: SqlClient,
	deviceId: string,
	write: SyncWrite
): Promise<SyncApplied> {
	const now = write.now ?? Date.now();
	const seqs = recordSeqs(write.events);
	return db.transaction(async (tx) => {
		const result: SyncApplied = {
			applied: { orders: 0, attempts: 0, tenders: 0, events: 0 },
			records: [],
			rejected: []
		};
		const quarantine = async (rejection: Rejection) => {
			const q: QuarantineEntry = quarantineEntry(rejection, now);
			await tx.query(QUARANTINE, [
				deviceId,
				q.entity,
				q.id,
				q.reason,
				q.message,
				q.day,
				now,
				q.raw
			]);
			result.rejected.push({ entity: q.entity, id: q.id, reason: q.reason, message: q.message });
		};
		const refusedAttempts = new Set<string>();
		const store = async (
			entity: 'order' | 'attempt' | 'tender',
			record: SyncOrder | SyncAttempt | SyncTender
		) => {
			const seq = seqs.get(`${entity}:${record.id}`) ?? null;
			const refuse = async (reason: string, message: string) => {
				await tx.query('rollback to savepoint sync_record');
				await tx.query('release savepoint sync_record');
				if (entity === 'attempt') refusedAttempts.add(record.id);
				await quarantine({ entity, id: record.id, raw: record, reason, message } as Rejection);
			};
			await tx.query('savepoint sync_record');
			try {
				const approvalIds = entity === 'attempt' ? (write.approvals?.get(record.id) ?? []) : [];
				for (const approvalId of approvalIds) {
					if ((await tx.query(BIND_APPROVAL, [approvalId, record.id])).length === 0) {
						return refuse('approval_reused', 'names an approval already used by another attempt');
					}
				}
				const params = upsertParams(
					entity,
					record,
					deviceId,
					seq,
					write.tillReported?.has(record.id) ?? false
				);
				const rows = await tx.query(UPSERT[entity], params);
				const outcome =
					rows.length > 0 ? 'applied' : await notApplied(tx, entity, record, deviceId, seq);
				if (outcome === 'other_device') return refuse('other_device', 'belongs to another till');
				await tx.query('release savepoint sync_record');
				if (outcome === 'applied') result.applied[TABLE[entity]] += 1;
				result.records.push({ entity, id: record.id, outcome });
			} catch (error) {
				if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
				return refuse(
					'merchant_order_no_taken',
					'reuses the merchant order number of another attempt'
				);
			}
		};
		for (const rejection of write.rejected ?? []) await quarantine(rejection);
		for (const attempt of write.attempts) await store('attempt', attempt);
		// An attempt refused only here (its approval taken meanwhile by another upload, its merchant
		// order number too) was judged with the rest: its order's figures rested on it, so its
		// order and that order's payments wait with it.
		const taintedOrders = new Set(
			write.attempts.filter((a) => refusedAttempts.has(a.id)).map((a) => a.orderId)
		);
		for (const tender of write.tenders) {
			if (tender.attemptId && refusedAttempts.has(tender.attemptId)) {
				await quarantine({
					entity: 'tender',
					id: tender.id,
					raw: tender,
					reason: 'attempt_refused',
					message: `is the payment of attempt ${tender.attemptId}, which was refused`
				});
			} else if (taintedOrders.has(tender.orderId)) {
				await quarantine({
					entity: 'tender',
					id: tender.id,
					raw: tender,
					reason: 'attempt_refused',
					message: `belongs to order ${tender.orderId}, one of whose attempts was refused`
				});
			} else await store('tender', tender);
		}
		for (const order of write.orders) {
			if (taintedOrders.has(order.id)) {
				await quarantine({
					entity: 'order',
					id: order.id,
					raw: order,
					reason: 'attempt_refused',
					message: 'has an attempt that was refused'
				});
			} else await store('order', order);
		}
		for (const e of write.events) {
			result.applied.events += (
				await tx.query(INSERT_EVENT, [deviceId, e.seq, e.at, json(e)])
			).length;
		}
		return result;
	});
}

export async function listTillReported(
	db: SqlExecutor,
	day: string
): Promise<TillReportedTender[]> {
	const rows = await db.query<{
		device_id: string;
		tender: Record<string, unknown>;
		attempt: Record<string, unknown> | null;
	}>(
		`select t.device_id, t.body as tender, a.body as attempt
		from tenders t left join attempts a on a.id = t.body->>'attemptId' and a.device_id = t.device_id
		where t.till_reported and t.day = $1
		order by t.created_at, t.id`,
		[day]
	);
	return rows.map((r) => ({ deviceId: r.device_id, tender: r.tender, attempt: r.attempt }));
}

export async function listQuarantine(db: SqlExecutor, day: string): Promise<QuarantinedRecord[]> {
	const rows = await db.query<{
		device_id: string;
		entity: string;
		entity_id: string;
		reason: string;
		message: string;
		day: string;
		received_at: string;
		raw: string;
	}>(
		`select device_id, entity, entity_id, reason, message, day, received_at, raw
		from sync_quarantine where day = $1 order by received_at, device_id, entity, entity_id`,
		[day]
	);
	return rows.map((r) => ({
		deviceId: r.device_id,
		entity: r.entity,
		id: r.entity_id,
		reason: r.reason,
		message: r.message,
		day: r.day,
		receivedAt: Number(r.received_at),
		raw: r.raw
	}));
}
