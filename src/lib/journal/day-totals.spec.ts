import { Dexie } from 'dexie';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDb, SCHEMA_V1 } from './db';
import { JournalError } from './errors';
import { countDay, sumDay } from './day-totals';
import { Journal } from './journal';
import { dayKey } from './order-status';
import { orderDraft, testJournal, type TestJournal } from './testing';
import type { Order, Tender } from './types';

let t: TestJournal | undefined;
afterEach(() => {
	t?.db.close();
	t = undefined;
});

const DAY_MS = 86_400_000;

/** One cashier action, on an order or a card payment picked by index among those made so far. */
const action = fc.oneof(
	{
		weight: 3,
		arbitrary: fc.record({
			op: fc.constant('order' as const),
			total: fc.integer({ min: 1, max: 20_000 })
		})
	},
	fc.record({
		op: fc.constant('cash' as const),
		pick: fc.nat(),
		share: fc.double({ min: 0.1, max: 1, noNaN: true })
	}),
	{
		weight: 3,
		arbitrary: fc.record({
			op: fc.constant('card' as const),
			pick: fc.nat(),
			share: fc.double({ min: 0.1, max: 1, noNaN: true }),
			tip: fc.integer({ min: 0, max: 500 }),
			result: fc.constantFrom('approved' as const, 'declined' as const)
		})
	},
	fc.record({
		op: fc.constant('refund' as const),
		pick: fc.nat(),
		share: fc.double({ min: 0.1, max: 1, noNaN: true })
	}),
	fc.record({ op: fc.constant('void' as const), pick: fc.nat() }),
	fc.record({
		op: fc.constant('tip' as const),
		pick: fc.nat(),
		tip: fc.integer({ min: 0, max: 900 })
	}),
	fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
	fc.record({
		op: fc.constant('edit' as const),
		pick: fc.nat(),
		total: fc.integer({ min: 1, max: 20_000 })
	}),
	fc.record({ op: fc.constant('nextDay' as const) })
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

/** Plays the actions; the journal refusing one (a JournalError) is part of the game. */
async function play(
	journal: Journal,
	clock: { t: number },
	actions: Action[]
): Promise<Set<string>> {
	const orders: Order[] = [];
	const sales: string[] = [];
	const days = new Set<string>();
	const pickOrder = (i: number) => orders[i % orders.length];
	const amount = (due: number, share: number) => Math.max(1, Math.floor(due * share));
	const charge = async (
		orderId: string,
		kind: 'sale' | 'refund' | 'void',
		value: number,
		tip = 0,
		orig?: string
	) => {
		const attempt = await journal.beginAttempt({
			orderId,
			kind,
			rail: 'simulated',
			terminalId: 'term-1',
			amount: value,
			tip,
			currency: 'EUR',
			origAttemptId: orig
		});
		await journal.markSent(attempt.id);
		return attempt;
	};
	for (const a of actions) {
		try {
			if (a.op === 'order') {
				const order = await journal.createOrder(orderDraft(a.total));
				orders.push(order);
				days.add(order.day);
			} else if (a.op === 'nextDay') {
				clock.t += DAY_MS;
			} else if (
				orders.length > 0 &&
				(a.op === 'cash' || a.op === 'card' || a.op === 'cancel' || a.op === 'edit')
			) {
				const order = (await journal.getOrder(pickOrder(a.pick)!.id))!;
				if (a.op === 'cash') {
					await journal.addCashTender(order.id, {
						amount: amount(order.total - order.paid, a.share),
						tendered: order.total
					});
				} else if (a.op === 'card') {
					const sale = await charge(
						order.id,
						'sale',
						amount(order.total - order.paid, a.share),
						a.tip
					);
					await journal.settle(sale.id, { status: a.result, reference: `R${sales.length}` });
					if (a.result === 'approved') sales.push(sale.id);
				} else if (a.op === 'cancel') {
					await journal.cancelOrder(order.id);
				} else {
					const draft = orderDraft(a.total);
					await journal.saveOpenOrder({ ...draft, id: order.id });
				}
			} else if (sales.length > 0 && (a.op === 'refund' || a.op === 'void' || a.op === 'tip')) {
				const sale = (await journal.getAttempt(sales[a.pick % sales.length]!))!;
				if (a.op === 'tip') {
					await journal.adjustTip(sale.id, a.tip, { status: 'approved' });
				} else {
					const tender = (await journal.tendersForOrder(sale.orderId)).find(
						(x) => x.attemptId === sale.id
					)!;
					const whole = tender.amount + tender.tip;
					const value = a.op === 'void' ? whole : amount(whole - tender.refundedAmount, a.share);
					const reversal = await charge(sale.orderId, a.op, value, 0, sale.id);
					await journal.settle(reversal.id, { status: 'approved', reference: 'X' });
				}
			}
		} catch (error) {
			if (!(error instanceof JournalError)) throw error;
		}
		days.add(dayKey(clock.t));
	}
	return days;
}

async function recordsOf(
	t: TestJournal,
	day: string
): Promise<{ orders: Order[]; tenders: Tender[] }> {
	const orders = (await t.db.orders.toArray()).filter((o) => o.day === day);
	const tenders = (await t.db.tenders.toArray()).filter((x) => x.day === day);
	return { orders, tenders };
}

describe("the day's figures kept by every write", () => {
	it(
		'always equal the figures counted from the records, refused actions included',
		{ timeout: 30_000 },
		async () => {
			await fc.assert(
				fc.asyncProperty(fc.array(action, { minLength: 20, maxLength: 60 }), async (actions) => {
					t?.db.close();
					t = testJournal();
					const days = await play(t.journal, t.clock, actions);
					for (const day of days) {
						const { orders, tenders } = await recordsOf(t, day);
						expect(await t.journal.dayTotals(day)).toEqual(sumDay(day, orders, tenders));
					}
				}),
				{ numRuns: 40 }
			);
		}
	);

	it('a day the journal has no figures for is counted once from its records, then kept', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1500));
		await t.journal.addCashTender(order.id, { amount: 1500, tendered: 2000 });
		await t.db.days.clear();

		const counted = await t.journal.dayTotals(order.day);
		expect(counted).toMatchObject({ orders: 1, gross: 1500, cash: 1500 });
		expect(await t.db.days.get(order.day)).toEqual(counted);

		const second = await t.journal.createOrder(orderDraft(700));
		await t.journal.addCashTender(second.id, { amount: 700, tendered: 700 });
		expect(await t.journal.dayTotals(order.day)).toEqual(await countDay(t.db, order.day));
		expect((await t.journal.dayTotals(order.day)).cash).toBe(2200);
	});
});

describe('a journal created before the day figures (schema version 1)', () => {
	it('opens upgraded with its orders, and its end of day adds up', async () => {
		const name = `journal-v1-${crypto.randomUUID()}`;
		// Written as a version 1 till did: the tables of SCHEMA_V1 and nothing else.
		const old = testJournal(new Date(2025, 2, 7, 10, 0).getTime());
		const first = await old.journal.createOrder(orderDraft(1200));
		await old.journal.addCashTender(first.id, { amount: 1200, tendered: 1200 });
		const [orders, tenders, events, meta] = await Promise.all([
			old.db.orders.toArray(),
			old.db.tenders.toArray(),
			old.db.events.toArray(),
			old.db.meta.toArray()
		]);
		// Version 1 marked every changed record in an outbox, with the seq of its last event.
		const outbox = new Map(
			events.map((e) => [
				`${e.entity}:${e.entityId}`,
				{ key: `${e.entity}:${e.entityId}`, entity: e.entity, id: e.entityId, rev: e.seq }
			])
		);
		old.db.close();
		const v1 = new Dexie(name);
		v1.version(1).stores(SCHEMA_V1);
		await v1.table('orders').bulkAdd(orders);
		await v1.table('tenders').bulkAdd(tenders);
		await v1.table('events').bulkAdd(events);
		await v1.table('outbox').bulkAdd([...outbox.values()]);
		await v1.table('meta').bulkAdd(meta);
		v1.close();

		const db = openJournalDb(name);
		const clock = { t: new Date(2025, 2, 7, 15, 0).getTime() };
		const journal = new Journal(db, { deviceId: 'dev-1', prefix: 'A1', now: () => clock.t++ });
		t = { journal, db, name, clock };
		const second = await journal.createOrder(orderDraft(800));
		expect(second.number).toBe('A1-000002');
		await journal.addCashTender(second.id, { amount: 800, tendered: 1000 });
		expect(await journal.dayTotals(first.day)).toMatchObject({
			orders: 2,
			gross: 2000,
			cash: 2000,
			byStatus: expect.objectContaining({ paid: { count: 2, total: 2000 } })
		});
	});
});
