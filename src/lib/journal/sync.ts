/**
 * Sync to the server. Every journal write appends an event in the same transaction, so the events
 * after the last seq the server acknowledged name every record that changed since: a batch is
 * those events and the current version of every order they concern, with all of that order's
 * attempts and tenders (one snapshot, so the server can check the order's figures against its
 * payments). Only after the server answered `{ ok: true }` does the acknowledged seq move on to
 * the batch's last event; a record changed while the batch was in flight has a later event, so it
 * goes again. The server upserts records by id and events by seq, so resending is harmless.
 *
 * The server may refuse a record it cannot believe (`rejected`, with a reason): the till keeps
 * the refusal (shown in Settings) and moves past it, rather than sending the same batch for ever.
 */
import { z } from 'zod/mini';
import { META_LAST_SYNCED_SEQ } from './db';
import type { Journal } from './journal';
import type { JournalEvent, Order, PaymentAttempt, Tender } from './types';

export const SYNC_BATCH_MAX = 200;

export interface SyncOptions {
	url?: string;
	fetch?: typeof fetch;
	headers?: Record<string, string>;
	/** Records (orders + attempts + tenders + events) per request, 2 to 200. */
	batchSize?: number;
	/** Bound on requests per call, so a busy till cannot keep one sync running forever. */
	maxBatches?: number;
}

export interface SyncPayload {
	deviceId: string;
	orders: Order[];
	attempts: PaymentAttempt[];
	tenders: Tender[];
	events: JournalEvent[];
}

export interface SyncResult {
	batches: number;
	orders: number;
	attempts: number;
	tenders: number;
	events: number;
	/** Records the server refused in these batches. */
	rejected: number;
}

/** A record the server refused, as it said why. */
export interface RefusedRecord {
	entity: string;
	id: string;
	reason: string;
	message: string;
	/** When the till heard of it. */
	at: number;
}

export type SyncErrorCode = 'network' | 'http' | 'rejected';

export class SyncError extends Error {
	readonly code: SyncErrorCode;
	readonly status?: number;
	constructor(code: SyncErrorCode, message: string, status?: number) {
		super(message);
		this.name = 'SyncError';
		this.code = code;
		if (status !== undefined) this.status = status;
	}
}

/**
 * A text of the server's answer, cut to `max` characters for the journal's meta store: an answer
 * with a long message must still move the till on, not be refused and the batch resent for ever.
 */
const text = (max: number) =>
	z.pipe(
		z.string(),
		z.transform((value) => value.slice(0, max))
	);
const recordRef = { entity: text(16), id: text(256) };
const ackSchema = z.looseObject({
	ok: z.literal(true),
	rejected: z._default(
		z.array(
			z.looseObject({
				...recordRef,
				reason: text(64),
				message: z._default(text(500), '')
			})
		),
		[]
	),
	records: z._default(z.array(z.looseObject({ ...recordRef, outcome: z.string() })), [])
});
type Ack = z.infer<typeof ackSchema>;

interface Batch {
	payload: SyncPayload;
	lastSeq: number;
}

/** Refusals live in `meta`, one row each, beside the acknowledged seq they move past with. */
const REFUSED_PREFIX = 'syncRefused:';
const refusedKey = (r: { entity: string; id: string }) => `${REFUSED_PREFIX}${r.entity}:${r.id}`;
type RefusedRow = RefusedRecord & { key: string };
const refusedTable = (journal: Journal) => journal.db.table<RefusedRow, string>('meta');

/** The `seq` of the last event the server acknowledged (0 before the first sync). */
export async function lastSyncedSeq(journal: Journal): Promise<number> {
	return (await journal.db.meta.get(META_LAST_SYNCED_SEQ))?.value ?? 0;
}

/**
 * Up to `size` rows: at most half of them events, and everything of the orders those events
 * concern. Events are cut before the first order that would not fit (the first always goes).
 */
async function readBatch(journal: Journal, size: number): Promise<Batch> {
	const { db } = journal;
	return db.transaction('r', [db.meta, db.events, db.orders, db.attempts, db.tenders], async () => {
		const since = await lastSyncedSeq(journal);
		const candidates = await db.events
			.where('seq')
			.above(since)
			.limit(Math.floor(size / 2))
			.toArray();
		const orderIds = [...new Set(candidates.map((e) => e.orderId))];
		const [orders, attempts, tenders] = await Promise.all([
			db.orders.bulkGet(orderIds),
			db.attempts.where('orderId').anyOf(orderIds).toArray(),
			db.tenders.where('orderId').anyOf(orderIds).toArray()
		]);
		const weight = new Map<string, number>();
		for (const r of [...present(orders), ...attempts, ...tenders]) {
			const orderId = 'orderId' in r ? r.orderId : r.id;
			weight.set(orderId, (weight.get(orderId) ?? 0) + 1);
		}
		const taken = new Set<string>();
		const events: JournalEvent[] = [];
		let rows = 0;
		for (const event of candidates) {
			const extra = taken.has(event.orderId) ? 0 : (weight.get(event.orderId) ?? 0);
			if (events.length > 0 && rows + extra + 1 > size) break;
			taken.add(event.orderId);
			events.push(event);
			rows += extra + 1;
		}
		const mine = <T extends { orderId: string }>(list: T[]) =>
			list.filter((r) => taken.has(r.orderId));
		return {
			lastSeq: events.at(-1)?.seq ?? since,
			payload: {
				deviceId: journal.deviceId,
				orders: present(orders).filter((o) => taken.has(o.id)),
				attempts: mine(attempts),
				tenders: mine(tenders),
				events
			}
		};
	});
}

const present = <T>(rows: (T | undefined)[]) => rows.filter((r): r is T => r !== undefined);

async function post(batch: Batch, options: SyncOptions): Promise<Ack> {
	const send = options.fetch ?? ((input, init) => fetch(input, init));
	let response: Response;
	try {
		response = await send(options.url ?? '/api/sync', {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...options.headers },
			body: JSON.stringify(batch.payload)
		});
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		throw new SyncError('network', `The server could not be reached (${detail}).`);
	}
	if (!response.ok) {
		throw new SyncError(
			'http',
			`The server refused the sync (HTTP ${response.status}).`,
			response.status
		);
	}
	const body: unknown = await response.json().catch(() => undefined);
	const ack = ackSchema.safeParse(body);
	if (!ack.success) {
		throw new SyncError('rejected', 'The server did not confirm the sync.', response.status);
	}
	return ack.data;
}

/** Moves past the batch, and keeps what the server refused in it (a record it now holds is no longer refused). */
async function markSynced(journal: Journal, batch: Batch, ack: Ack): Promise<void> {
	const { db } = journal;
	await db.transaction('rw', db.meta, async () => {
		const held = ack.records.filter((r) => r.outcome !== 'stale').map(refusedKey);
		if (held.length > 0) await db.meta.bulkDelete(held);
		const at = journal.now();
		await refusedTable(journal).bulkPut(
			ack.rejected.map(({ entity, id, reason, message }) => ({
				key: refusedKey({ entity, id }),
				entity,
				id,
				reason,
				message,
				at
			}))
		);
		if (batch.lastSeq > (await lastSyncedSeq(journal))) {
			await db.meta.put({ key: META_LAST_SYNCED_SEQ, value: batch.lastSeq });
		}
	});
}

/** Records the server refused, newest first: they need the back office, not another resend. */
export async function refusedRecords(journal: Journal): Promise<RefusedRecord[]> {
	const rows = await refusedTable(journal).where('key').startsWith(REFUSED_PREFIX).toArray();
	return rows
		.map(({ entity, id, reason, message, at }) => ({ entity, id, reason, message, at }))
		.sort((a, b) => b.at - a.at);
}

/**
 * Sends everything not yet acknowledged, in batches. Throws `SyncError` on the first failure;
 * what was not acknowledged goes again with the next call.
 */
export async function syncOnce(journal: Journal, options: SyncOptions = {}): Promise<SyncResult> {
	// At least an event and the record it names.
	const size = Math.max(2, Math.min(options.batchSize ?? SYNC_BATCH_MAX, SYNC_BATCH_MAX));
	const maxBatches = options.maxBatches ?? 100;
	const result: SyncResult = {
		batches: 0,
		orders: 0,
		attempts: 0,
		tenders: 0,
		events: 0,
		rejected: 0
	};
	while (result.batches < maxBatches) {
		const batch = await readBatch(journal, size);
		const { orders, attempts, tenders, events } = batch.payload;
		if (events.length === 0) break;
		const ack = await post(batch, options);
		await markSynced(journal, batch, ack);
		result.rejected += ack.rejected.length;
		result.batches += 1;
		result.orders += orders.length;
		result.attempts += attempts.length;
		result.tenders += tenders.length;
		result.events += events.length;
	}
	return result;
}

/** Changes (events) the server has not acknowledged yet. */
export async function pendingSyncCount(journal: Journal): Promise<number> {
	const since = await lastSyncedSeq(journal);
	return journal.db.events.where('seq').above(since).count();
}
