/**
 * Sync to the server. Every journal write appends an event in the same transaction, so the events
 * after the last seq the server acknowledged name every record that changed since: a batch is
 * those events and the current version of each record they name. Only after the server answered
 * `{ ok: true }` does the acknowledged seq move on to the batch's last event; a record changed
 * while the batch was in flight has a later event, so it goes again. The server upserts records
 * by id and events by seq, so resending is harmless.
 */
import { z } from 'zod';
import { META_LAST_SYNCED_SEQ } from './db';
import type { Journal } from './journal';
import type { JournalEntity, JournalEvent, Order, PaymentAttempt, Tender } from './types';

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

const ackSchema = z.looseObject({ ok: z.literal(true) });

interface Batch {
	payload: SyncPayload;
	lastSeq: number;
}

async function lastSyncedSeq(journal: Journal): Promise<number> {
	return (await journal.db.meta.get(META_LAST_SYNCED_SEQ))?.value ?? 0;
}

/** Up to `size` rows: at most half of them events, and the records those events name. */
async function readBatch(journal: Journal, size: number): Promise<Batch> {
	const { db } = journal;
	return db.transaction('r', [db.meta, db.events, db.orders, db.attempts, db.tenders], async () => {
		const since = await lastSyncedSeq(journal);
		const events = await db.events
			.where('seq')
			.above(since)
			.limit(Math.floor(size / 2))
			.toArray();
		const ids = (entity: JournalEntity) => [
			...new Set(events.filter((e) => e.entity === entity).map((e) => e.entityId))
		];
		const present = <T>(rows: (T | undefined)[]) => rows.filter((r): r is T => r !== undefined);
		const [orders, attempts, tenders] = await Promise.all([
			db.orders.bulkGet(ids('order')),
			db.attempts.bulkGet(ids('attempt')),
			db.tenders.bulkGet(ids('tender'))
		]);
		return {
			lastSeq: events.at(-1)?.seq ?? since,
			payload: {
				deviceId: journal.deviceId,
				orders: present(orders),
				attempts: present(attempts),
				tenders: present(tenders),
				events
			}
		};
	});
}

async function post(batch: Batch, options: SyncOptions): Promise<void> {
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
	if (!ackSchema.safeParse(body).success) {
		throw new SyncError('rejected', 'The server did not confirm the sync.', response.status);
	}
}

async function markSynced(journal: Journal, batch: Batch): Promise<void> {
	const { db } = journal;
	await db.transaction('rw', db.meta, async () => {
		if (batch.lastSeq > (await lastSyncedSeq(journal))) {
			await db.meta.put({ key: META_LAST_SYNCED_SEQ, value: batch.lastSeq });
		}
	});
}

/**
 * Sends everything not yet acknowledged, in batches. Throws `SyncError` on the first failure;
 * what was not acknowledged goes again with the next call.
 */
export async function syncOnce(journal: Journal, options: SyncOptions = {}): Promise<SyncResult> {
	// At least an event and the record it names.
	const size = Math.max(2, Math.min(options.batchSize ?? SYNC_BATCH_MAX, SYNC_BATCH_MAX));
	const maxBatches = options.maxBatches ?? 100;
	const result: SyncResult = { batches: 0, orders: 0, attempts: 0, tenders: 0, events: 0 };
	while (result.batches < maxBatches) {
		const batch = await readBatch(journal, size);
		const { orders, attempts, tenders, events } = batch.payload;
		if (events.length === 0) break;
		await post(batch, options);
		await markSynced(journal, batch);
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
