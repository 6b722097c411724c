/**
 * The day's figures: one row per day kept up to date by every order and tender write (so that the
 * end of day reads one row, not the day's orders), and the same sums made from the records, which
 * tests and repairs compare it with.
 */
import { Dexie } from 'dexie';
import type { JournalDb } from './db';
import { ORDER_STATUSES, type DayTotals, type Order, type OrderStatus, type Tender } from './types';

const SOLD: readonly OrderStatus[] = ['paid', 'partially_refunded', 'refunded'];

/**
 * End-of-day figures for the orders created on `day`: the day's row, kept up to date by every
 * journal write (see `adjustDay`). A day without one (before the journal kept them) is counted
 * from its records once, in the same transaction as storing the row, so no write slips between.
 */
export async function dayTotals(db: JournalDb, day: string): Promise<DayTotals> {
	const kept = await db.days.get(day);
	if (kept) return withPaidOut(kept);
	return db.transaction('rw', [db.orders, db.tenders, db.days], async () => {
		const row = (await db.days.get(day)) ?? (await countDay(db, day));
		await db.days.put(row);
		return row;
	});
}

/**
 * The day's figures after a change, inside a journal write that includes `days`: `change` applies
 * the difference to the row; a day without a row is counted from its records, which already hold
 * the change.
 */
export async function adjustDay(
	db: JournalDb,
	day: string,
	change: (totals: DayTotals) => void
): Promise<void> {
	const row = await db.days.get(day);
	if (row) change(withPaidOut(row));
	await db.days.put(row ?? (await countDay(db, day)));
}

/**
 * A row kept before the day counted cash paid out: nothing was recorded as paid out then (the
 * journal kept no cashback), so it starts from 0. Fills the row in place, so a change applies to it.
 */
function withPaidOut(row: DayTotals): DayTotals {
	row.cashPaidOut ??= 0;
	return row;
}

/** Counts the day from its orders and tenders, through the [day+createdAt] and `day` indexes. */
export async function countDay(db: JournalDb, day: string): Promise<DayTotals> {
	const [orders, tenders] = await Promise.all([
		db.orders.where('[day+createdAt]').between([day, Dexie.minKey], [day, Dexie.maxKey]).toArray(),
		db.tenders.where({ day }).toArray()
	]);
	return sumDay(day, orders, tenders);
}

export function emptyDay(day: string): DayTotals {
	const byStatus = Object.fromEntries(
		ORDER_STATUSES.map((s) => [s, { count: 0, total: 0 }])
	) as DayTotals['byStatus'];
	return {
		day,
		orders: 0,
		gross: 0,
		tax: 0,
		tips: 0,
		cash: 0,
		card: 0,
		cashPaidOut: 0,
		refunds: 0,
		byStatus
	};
}

/** The figures of `orders` and `tenders`, all of `day`. */
export function sumDay(day: string, orders: Order[], tenders: Tender[]): DayTotals {
	const totals = emptyDay(day);
	for (const o of orders) addOrder(totals, o, 1);
	for (const x of tenders) addTender(totals, x, 1);
	return totals;
}

type OrderFigures = Pick<Order, 'status' | 'total' | 'tax' | 'refunded'>;
type TenderFigures = Pick<Tender, 'status' | 'kind' | 'amount' | 'tip' | 'cashback'>;

/**
 * Adds (`sign` 1) or takes away (-1) one order. Sold orders (paid, partially refunded, refunded)
 * count in gross and tax; refunds count whatever the status.
 */
export function addOrder(totals: DayTotals, o: OrderFigures, sign: 1 | -1): void {
	totals.orders += sign;
	totals.byStatus[o.status].count += sign;
	totals.byStatus[o.status].total += sign * o.total;
	totals.refunds += sign * o.refunded;
	if (SOLD.includes(o.status)) {
		totals.gross += sign * o.total;
		totals.tax += sign * o.tax;
	}
}

/**
 * Adds or takes away one tender. Cash and card exclude tips; a voided tender counts nothing. A
 * card's cashback was charged to the card and handed out of the drawer: it counts in both `card`
 * and `cashPaidOut`, never in sales.
 */
export function addTender(totals: DayTotals, x: TenderFigures, sign: 1 | -1): void {
	if (x.status === 'voided') return;
	const cashback = x.kind === 'card' ? (x.cashback ?? 0) : 0;
	totals[x.kind] += sign * (x.amount + cashback);
	totals.cashPaidOut += sign * cashback;
	totals.tips += sign * x.tip;
}
