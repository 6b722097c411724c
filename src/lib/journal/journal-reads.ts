/**
 * The journal's reads: orders, attempts, tenders and their events, through the indexes. Writes are
 * `Journal`'s (one transaction each); everything here only reads, so a screen or sync that only
 * reads can be handed this.
 */
import type { JournalDb } from './db';
import { dayTotals } from './day-totals';
import { listOrders } from './history';
import type {
	AttemptState,
	DayTotals,
	JournalEvent,
	ListOrdersQuery,
	Order,
	PaymentAttempt,
	Tender
} from './types';

export class JournalReads {
	readonly db: JournalDb;
	/** Short per-device prefix for order numbers and merchant order numbers, e.g. `A1`. */
	readonly prefix: string;

	constructor(db: JournalDb, prefix: string) {
		this.db = db;
		this.prefix = prefix;
	}

	async getOrder(id: string): Promise<Order | undefined> {
		return this.db.orders.get(id);
	}

	async getOrderByNumber(number: string): Promise<Order | undefined> {
		return this.db.orders.where('number').equals(number).first();
	}

	async listOrders(query: ListOrdersQuery): Promise<Order[]> {
		return listOrders(this.db, this.prefix, query);
	}

	async getAttempt(id: string): Promise<PaymentAttempt | undefined> {
		return this.db.attempts.get(id);
	}

	async attemptsForOrder(orderId: string): Promise<PaymentAttempt[]> {
		return (await this.db.attempts.where({ orderId }).toArray()).sort(
			(a, b) => a.createdAt - b.createdAt
		);
	}

	async tendersForOrder(orderId: string): Promise<Tender[]> {
		return (await this.db.tenders.where({ orderId }).toArray()).sort(
			(a, b) => a.createdAt - b.createdAt
		);
	}

	/** The audit trail of one attempt or tender (or, with `orderId` = `id`, an order), oldest first. */
	async eventsFor(record: { id: string; orderId: string }): Promise<JournalEvent[]> {
		return (await this.eventsForOrder(record.orderId)).filter((e) => e.entityId === record.id);
	}

	/** The audit trail of an order and of its attempts and tenders, oldest first. */
	async eventsForOrder(orderId: string): Promise<JournalEvent[]> {
		return this.db.events.where({ orderId }).toArray();
	}

	/** Attempts whose result is not known yet (`sent` or `unknown`). */
	async pendingAttempts(): Promise<PaymentAttempt[]> {
		return this.attemptsInState('sent', 'unknown');
	}

	async attemptsInState(...states: AttemptState[]): Promise<PaymentAttempt[]> {
		const found = await this.db.attempts.where('state').anyOf(states).toArray();
		return found.sort((a, b) => a.createdAt - b.createdAt);
	}

	async attemptByMerchantOrderNo(merchantOrderNo: string): Promise<PaymentAttempt | undefined> {
		return this.db.attempts.where('merchantOrderNo').equals(merchantOrderNo).first();
	}

	/** End-of-day figures for the orders created on `day`, read through the day indexes only. */
	async dayTotals(day: string): Promise<DayTotals> {
		return dayTotals(this.db, day);
	}
}
