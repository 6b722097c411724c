/**
 * The journal's writes in the page, run by `tests/journal.e2e.ts` in Chromium's own IndexedDB,
 * where a transaction commits by itself once it waits on nothing (fake-indexeddb's never does).
 */
import { liveQuery } from 'dexie';
import { AttemptInProgressError, Journal, openJournalDb } from '$lib/journal';
import { orderDraft, saleInput as sale } from '$lib/journal/testing';

export interface Trace {
	/** What each call did: 'ok' or the error's code or name. */
	results: string[];
	/** The attempts and `attempt.created` events the order holds afterwards. */
	attempts: number;
	created: number;
}

async function journalWithOrder(total: number) {
	const db = openJournalDb(`journal-e2e-${crypto.getRandomValues(new Uint32Array(2)).join('-')}`);
	const journal = new Journal(db, { deviceId: 'e2e', prefix: 'E2E' });
	const order = await journal.createOrder(orderDraft(total));
	return { db, journal, order };
}

async function trace(journal: Journal, orderId: string, calls: Promise<unknown>[]): Promise<Trace> {
	const settled = await Promise.allSettled(calls);
	const results = settled.map((r) => {
		if (r.status === 'fulfilled') return 'ok';
		const error = r.reason as { code?: string; name?: string };
		return r.reason instanceof AttemptInProgressError
			? 'in_progress'
			: (error.code ?? error.name ?? '?');
	});
	const events = await journal.eventsForOrder(orderId);
	return {
		results,
		attempts: (await journal.attemptsForOrder(orderId)).length,
		created: events.filter((e) => e.type === 'attempt.created').length
	};
}

/** A sale above what is due, then one for what is due. */
export async function refusedThenAllowed(): Promise<Trace> {
	const { db, journal, order } = await journalWithOrder(1000);
	try {
		const refused = await trace(journal, order.id, [journal.beginAttempt(sale(order.id, 1001))]);
		const allowed = await trace(journal, order.id, [journal.beginAttempt(sale(order.id, 1000))]);
		return { ...allowed, results: [...refused.results, ...allowed.results] };
	} finally {
		await db.delete();
	}
}

/** Two sales of one order started in the same tick. */
export async function twoAtOnce(): Promise<Trace> {
	const { db, journal, order } = await journalWithOrder(1000);
	try {
		return await trace(journal, order.id, [
			journal.beginAttempt(sale(order.id, 1000)),
			journal.beginAttempt(sale(order.id, 1000))
		]);
	} finally {
		await db.delete();
	}
}

/** A refund above what the card paid, on a paid order: the check reads the tenders too. */
export async function refundAboveWhatWasPaid(): Promise<Trace> {
	const { db, journal, order } = await journalWithOrder(1000);
	try {
		const paid = await journal.beginAttempt(sale(order.id, 1000));
		await journal.markSent(paid.id);
		await journal.settle(paid.id, { status: 'approved', reference: 'R1' });
		const refund = (amount: number) =>
			journal.beginAttempt({ ...sale(order.id, amount), kind: 'refund', origAttemptId: paid.id });
		return await trace(journal, order.id, [refund(1001)]);
	} finally {
		await db.delete();
	}
}

/** What a live query over the order's attempts shows after a new attempt, before it is sent. */
export async function liveQuerySees(): Promise<string[]> {
	const { db, journal, order } = await journalWithOrder(1000);
	let latest: string[] = [];
	const subscription = liveQuery(() =>
		db.attempts.where({ orderId: order.id }).toArray()
	).subscribe((attempts) => (latest = attempts.map((a) => a.state)));
	try {
		await journal.beginAttempt(sale(order.id, 1000));
		for (let i = 0; i < 100 && latest.length === 0; i++) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		return latest;
	} finally {
		subscription.unsubscribe();
		await db.delete();
	}
}
