import type { Journal } from './journal';
import { lastSyncedSeq } from './sync';
import type { PaymentAttempt } from './types';

/** Attempts that charge (or hold) a card, and states in which that money is or may be taken. */
const CHARGING: ReadonlySet<PaymentAttempt['kind']> = new Set(['sale', 'preauth']);
const NOT_TAKEN: ReadonlySet<PaymentAttempt['state']> = new Set(['declined', 'cancelled']);

/**
 * Card money the server has not acknowledged yet (the offline limits' total, `orders/offline-limits`):
 * sales and holds created after the last synced event, approved or still in flight, with their
 * tip and cashback. Read from the journal, so a reload does not reset it.
 */
export async function cardTakenUnsynced(journal: Journal): Promise<number> {
	const since = await lastSyncedSeq(journal);
	const created = await journal.db.events
		.where('seq')
		.above(since)
		.filter((event) => event.type === 'attempt.created')
		.toArray();
	const attempts = await journal.db.attempts.bulkGet(created.map((event) => event.entityId));
	let total = 0;
	for (const attempt of attempts) {
		if (!attempt || !CHARGING.has(attempt.kind) || NOT_TAKEN.has(attempt.state)) continue;
		total += attempt.amount + attempt.tip + (attempt.cashback ?? 0);
	}
	return total;
}
