/**
 * Read-only history queries. Each reads through an index so its cost follows the rows it returns,
 * not the size of the journal (100,000 orders and more).
 */
import { Dexie } from 'dexie';
import type { JournalDb } from './db';
import { formatOrderNumber } from './order-status';
import type { ListOrdersQuery, Order } from './types';

const MAX_PAGE = 500;
const SORT_IN_MEMORY_MAX = 2_000;

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
