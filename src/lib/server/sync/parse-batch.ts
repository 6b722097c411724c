/**
 * Splits an upload's envelope into the records that parse and those that do not. One bad record
 * (a NUL in a decline message, `day: "2026-13-45"`) is refused on its own; the rest goes on. Pure.
 */
import { cleanText } from '$lib/text/clean-text';
import type { Refusal } from './checks/refusal';
import { parseRecord, type SyncBatch, type SyncEntity, type SyncEnvelope } from './sync-schema';

/** A record the server will not believe, kept as it came (see `quarantine.ts`). */
export interface Rejection extends Refusal {
	entity: SyncEntity;
	id: string;
	raw: unknown;
}

/** The id a refused record is reported under: its own when it has one, else its place. */
export function recordId(raw: unknown, fallback: string): string {
	const id = (raw as { id?: unknown } | null)?.id;
	return typeof id === 'string' && id !== '' ? cleanText(id).slice(0, 64) : fallback;
}

export function parseBatch(envelope: SyncEnvelope): { batch: SyncBatch; rejected: Rejection[] } {
	const batch: SyncBatch = { orders: [], attempts: [], tenders: [], events: [] };
	const rejected: Rejection[] = [];
	const take = <E extends SyncEntity>(
		entity: E,
		raws: readonly unknown[],
		into: unknown[],
		idOf: (raw: unknown, i: number) => string
	) => {
		raws.forEach((raw, i) => {
			const parsed = parseRecord(entity, raw);
			if (parsed.ok) into.push(parsed.record);
			else
				rejected.push({
					entity,
					id: idOf(raw, i),
					reason: 'invalid',
					message: parsed.message,
					raw
				});
		});
	};
	take('order', envelope.orders, batch.orders, (raw, i) => recordId(raw, `#${i}`));
	take('attempt', envelope.attempts, batch.attempts, (raw, i) => recordId(raw, `#${i}`));
	take('tender', envelope.tenders, batch.tenders, (raw, i) => recordId(raw, `#${i}`));
	take('event', envelope.events, batch.events, (raw) => String((raw as { seq: number }).seq));
	return { batch, rejected };
}
