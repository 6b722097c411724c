/**
 * The payment journal in the browser's real IndexedDB (what a tablet runs). Each export is one
 * phase that `bench/journal.js` calls through `page.evaluate`: the open figure is taken in a
 * freshly started browser, so it includes IndexedDB's own cold start.
 */
import {
	Journal,
	dayKey,
	formatOrderNumber,
	newId,
	newMerchantOrderNo,
	openJournalDb,
	orderSchema,
	paymentAttemptSchema,
	tenderSchema,
	type JournalDb,
	type Order,
	type PaymentAttempt,
	type DayTotals,
	type Tender
} from '$lib/journal';
import { META_ORDER_COUNTER } from '$lib/journal/db';
import { addOrder, addTender, countDay, emptyDay } from '$lib/journal/day-totals';
import { orderDraft } from '$lib/journal/testing';
import { median, ms, percentile, timed, type Figure } from '../stats';

const PREFIX = 'A1';
const DEVICE = 'bench-device';
const DAY_MS = 86_400_000;
/** Opening hours: orders of one day are spread over 12 hours from 08:00. */
const OPEN_HOURS_MS = 12 * 3_600_000;
const BATCH = 5_000;

function journalOn(db: JournalDb): Journal {
	return new Journal(db, { deviceId: DEVICE, prefix: PREFIX });
}

async function deleteDb(name: string): Promise<void> {
	const db = openJournalDb(name);
	await db.delete();
}

/** One record put in its own transaction straight on IndexedDB, committed. */
function barePut(db: JournalDb, value: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const tx = db.backendDB().transaction('meta', 'readwrite');
		tx.objectStore('meta').put({ key: 'bench-floor', value });
		tx.oncomplete = () => resolve();
		tx.onabort = () => reject(tx.error);
		tx.commit();
	});
}

/**
 * `beginAttempt` on fresh orders: the write that must commit before a card is charged. Each is
 * followed by a bare one-record put straight on IndexedDB, the floor this browser and machine
 * allow at that moment, reported beside it.
 */
export async function append(n: number, warmup = 20): Promise<Figure> {
	const name = `bench-append-${newId()}`;
	const db = openJournalDb(name);
	const journal = journalOn(db);
	const orders: Order[] = [];
	for (let i = 0; i < n + warmup; i++) {
		orders.push(await journal.createOrder(orderDraft(500 + (i % 3000))));
	}
	const samples: number[] = [];
	const floor: number[] = [];
	for (const [i, order] of orders.entries()) {
		const took = await timed(() =>
			journal.beginAttempt({
				orderId: order.id,
				kind: 'sale',
				rail: 'simulated',
				terminalId: 'term-1',
				amount: order.total,
				currency: order.currency
			})
		);
		const bare = await timed(() => barePut(db, i));
		if (i >= warmup) {
			samples.push(took);
			floor.push(bare);
		}
	}
	db.close();
	await deleteDb(name);
	const p99 = percentile(samples, 99);
	return {
		bench: 'journal.append',
		p50_ms: ms(percentile(samples, 50)),
		p99_ms: ms(p99),
		max_ms: ms(Math.max(...samples)),
		n: samples.length,
		floor_p50_ms: ms(percentile(floor, 50)),
		floor_p99_ms: ms(percentile(floor, 99)),
		target: 'p99<=10',
		ok: p99 <= 10
	};
}

export interface SeedResult {
	orders: number;
	days: number;
	/** The last (busiest, most recent) day, for `totals`. */
	day: string;
	/** Attempts left `sent`, which `pendingAttempts` must find. */
	pending: number;
	seconds: number;
}

/**
 * Fills a journal with `count` orders, `perDay` a day ending today, written with bulk puts
 * straight into the tables. The records are the shapes the Journal writes (checked against its
 * schemas): every order paid, by card or cash, with its tender and, for cards, its approved
 * attempt; the newest orders' attempts are left pending for `pendingAttempts` to find. Each day's
 * figures are added up as the journal keeps them; `check` compares them with a count.
 */
export async function seed(name: string, count: number, perDay: number): Promise<SeedResult> {
	const started = performance.now();
	await deleteDb(name);
	const db = openJournalDb(name);
	const days = Math.ceil(count / perDay);
	const today = new Date();
	today.setHours(8, 0, 0, 0);
	const firstDay = today.getTime() - (days - 1) * DAY_MS;
	let lastDay = '';
	let pendingCount = 0;
	const figures = new Map<string, DayTotals>();
	for (let from = 0; from < count; from += BATCH) {
		const orders: Order[] = [];
		const tenders: Tender[] = [];
		const attempts: PaymentAttempt[] = [];
		for (let i = from; i < Math.min(count, from + BATCH); i++) {
			const dayIndex = Math.floor(i / perDay);
			const at = firstDay + dayIndex * DAY_MS + Math.floor(((i % perDay) / perDay) * OPEN_HOURS_MS);
			const total = 250 + ((i * 7919) % 9_750);
			const draft = orderDraft(total);
			const id = newId(at);
			const day = dayKey(at);
			lastDay = day;
			const card = i % 3 !== 0;
			const pending = card && i >= count - 3;
			if (pending) pendingCount++;
			orders.push({
				...draft,
				id,
				number: formatOrderNumber(PREFIX, i + 1),
				createdAt: at,
				updatedAt: at + 30_000,
				day,
				status: pending ? 'open' : 'paid',
				tip: 0,
				paid: pending ? 0 : total,
				refunded: 0,
				deviceId: DEVICE
			} as Order);
			const attemptId = card ? newId(at + 1_000) : undefined;
			if (card && attemptId) {
				attempts.push({
					id: attemptId,
					orderId: id,
					kind: 'sale',
					rail: 'codepay-lan',
					terminalId: 'term-1',
					merchantOrderNo: newMerchantOrderNo(PREFIX, at + 1_000),
					amount: total,
					tip: 0,
					currency: 'EUR',
					state: pending ? 'sent' : 'approved',
					...(pending ? {} : { outcome: { status: 'approved', reference: `R${i}` } }),
					createdAt: at + 1_000,
					updatedAt: at + 20_000
				});
			}
			if (!pending) {
				tenders.push({
					id: newId(at + 20_000),
					orderId: id,
					day,
					kind: card ? 'card' : 'cash',
					amount: total,
					tip: 0,
					...(card ? { attemptId, reference: `R${i}` } : { tendered: total, change: 0 }),
					status: 'completed',
					refundedAmount: 0,
					createdAt: at + 20_000
				});
			}
		}
		if (from === 0) {
			// The seeded records must be ones the Journal itself would accept.
			orderSchema.parse(orders[1]);
			tenderSchema.parse(tenders[1]);
			paymentAttemptSchema.parse(attempts[0]);
		}
		for (const o of orders) {
			const totals = figures.get(o.day) ?? emptyDay(o.day);
			figures.set(o.day, totals);
			addOrder(totals, o, 1);
		}
		for (const x of tenders) addTender(figures.get(x.day)!, x, 1);
		await db.transaction('rw', [db.orders, db.tenders, db.attempts], async () => {
			await db.orders.bulkAdd(orders);
			await db.tenders.bulkAdd(tenders);
			await db.attempts.bulkAdd(attempts);
		});
	}
	await db.days.bulkPut([...figures.values()]);
	await db.meta.put({ key: META_ORDER_COUNTER, value: count });
	db.close();
	return {
		orders: count,
		days,
		day: lastDay,
		pending: pendingCount,
		seconds: (performance.now() - started) / 1000
	};
}

export interface OpenResult {
	ms: number;
	/** Of `ms`, the database open alone: the browser's storage engine starting on this origin. */
	engineMs: number;
	firstPage: number;
	pending: number;
}

/** Start-up: a new Dexie instance, the first history page and the attempts awaiting a result. */
export async function open(name: string): Promise<OpenResult> {
	let firstPage = 0;
	let pending = 0;
	let engineMs = 0;
	let db: JournalDb | undefined;
	const took = await timed(async () => {
		db = openJournalDb(name);
		const opened = db;
		engineMs = await timed(() => opened.open());
		const journal = journalOn(db);
		const [page, attempts] = await Promise.all([
			journal.listOrders({ limit: 50 }),
			journal.pendingAttempts()
		]);
		firstPage = page.length;
		pending = attempts.length;
	});
	db?.close();
	return { ms: took, engineMs, firstPage, pending };
}

/**
 * The seeded journal is usable as is: its figures for `day` match a count of the day's records,
 * and a new order takes the next number and can be paid.
 */
export async function check(name: string, day: string): Promise<string | undefined> {
	const db = openJournalDb(name);
	try {
		const journal = journalOn(db);
		const kept = JSON.stringify(await journal.dayTotals(day));
		const counted = JSON.stringify(await countDay(db, day));
		if (kept !== counted) return `the figures of ${day} do not match its records`;
		const order = await journal.createOrder(orderDraft(1234));
		const attempt = await journal.beginAttempt({
			orderId: order.id,
			kind: 'sale',
			rail: 'simulated',
			terminalId: 'term-1',
			amount: order.total,
			currency: order.currency
		});
		await journal.markSent(attempt.id);
		await journal.settle(attempt.id, { status: 'approved', reference: 'CHECK' });
		const found = await journal.listOrders({ search: order.number, limit: 5 });
		if (found[0]?.status !== 'paid') return `the new order ${order.number} is not paid`;
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	} finally {
		db.close();
	}
}

/** End of day over the orders of `day`: the median of `runs` runs (the first included). */
export async function totals(name: string, day: string, runs: number): Promise<Figure> {
	const db = openJournalDb(name);
	const journal = journalOn(db);
	const samples: number[] = [];
	let orders = 0;
	for (let i = 0; i < runs; i++) {
		samples.push(
			await timed(async () => {
				orders = (await journal.dayTotals(day)).orders;
			})
		);
	}
	db.close();
	const value = median(samples);
	return {
		bench: 'journal.day_totals',
		median_ms: ms(value),
		first_ms: ms(samples[0] ?? NaN),
		orders_that_day: orders,
		runs,
		target: 'median<=100',
		ok: value <= 100
	};
}

export async function remove(name: string): Promise<void> {
	await deleteDb(name);
}

export { median, ms };
