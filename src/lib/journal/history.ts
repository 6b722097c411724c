/**
 * Read-only history queries. Each reads through an index so its cost follows the rows it returns,
 * not the size of the journal (100,000 orders and more).
 */
import { Dexie } from 'dexie';
import type { JournalDb } from './db';
import { formatOrderNumber } from './order-status';
import {
	ORDER_STATUSES,
	type DayTotals,
	type ListOrdersQuery,
	type Order,
	type OrderStatus,
	type Tender
} from './types';

const MAX_PAGE = 500;
const SORT_IN_MEMORY_MAX = 2_000;
const SOLD: readonly OrderStatus[] = ['paid', 'partially_refunded', 'refunded'];

/**
 * History, newest first. The query reads through the index that narrows it most: the order
 * number (search), [day+createdAt], [status+createdAt], total (amount range with few orders) or
 * createdAt; the other filters run on that index's rows, stopping once the page is full.
 */
export async function listOrders(
	db: JournalDb,
	prefix: string,
	query: ListOrdersQuery
): Promise<Order[]> {
	const limit = Math.min(Math.max(1, Math.trunc(query.limit)), MAX_PAGE);
	const offset = Math.max(0, Math.trunc(query.offset ?? 0));
	const { day, status, minAmount: min, maxAmount: max } = query;
	const search = query.search?.trim();
	const matches = (o: Order) =>
		(day === undefined || o.day === day) &&
		(status === undefined || o.status === status) &&
		(min === undefined || o.total >= min) &&
		(max === undefined || o.total <= max);

	const page = (found: Order[]) =>
		found.sort((a, b) => b.createdAt - a.createdAt).slice(offset, offset + limit);

	if (search) {
		// Order numbers are upper case; a cashier often types only the digits of the counter.
		// One key range per prefix: a case-insensitive index walk is far slower on big journals.
		const prefixes = new Set([search, search.toUpperCase()]);
		if (/^\d{1,9}$/.test(search)) prefixes.add(formatOrderNumber(prefix, Number(search)));
		const found = new Map<string, Order>();
		for (const p of prefixes) {
			const rows = await db.orders
				.where('number')
				.startsWith(p)
				.reverse()
				.filter(matches)
				.limit(offset + limit)
				.toArray();
			for (const o of rows) found.set(o.id, o);
		}
		return page([...found.values()]);
	}
	let rows: ReturnType<JournalDb['orders']['orderBy']>;
	if (day !== undefined) {
		rows = db.orders
			.where('[day+createdAt]')
			.between([day, Dexie.minKey], [day, Dexie.maxKey])
			.reverse();
	} else if (status !== undefined) {
		rows = db.orders
			.where('[status+createdAt]')
			.between([status, Dexie.minKey], [status, Dexie.maxKey])
			.reverse();
	} else {
		rows = db.orders.orderBy('createdAt').reverse();
		if (min !== undefined || max !== undefined) {
			// Few orders in the range (an amount a customer quotes): read them through the total
			// index. Many: they are common enough that the newest-first walk finds a page quickly.
			const range = db.orders
				.where('total')
				.between(min ?? 0, max ?? Number.MAX_SAFE_INTEGER, true, true);
			if ((await range.count()) <= SORT_IN_MEMORY_MAX) return page(await range.toArray());
		}
	}
	return rows.filter(matches).offset(offset).limit(limit).toArray();
}

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
