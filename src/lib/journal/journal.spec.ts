import { afterEach, describe, expect, it } from 'vitest';
import { IllegalTransitionError } from './attempt-state';
import { openJournalDb } from './db';
import { AttemptInProgressError, JournalError } from './errors';
import { Journal } from './journal';
import { orderDraft, saleInput, testJournal, type TestJournal } from './testing';
import type { Outcome } from '../terminals/driver';

const approved: Outcome = {
	status: 'approved',
	reference: 'REF1',
	cardBrand: 'VISA',
	authCode: '123'
};

let t: TestJournal;
afterEach(async () => {
	t?.db.close();
});

async function sentSale(journal: Journal, orderId: string, amount: number, tip = 0) {
	const a = await journal.beginAttempt(saleInput(orderId, amount, tip));
	return journal.markSent(a.id);
}

async function paidByCard(journal: Journal, total: number, tip = 0) {
	const order = await journal.createOrder(orderDraft(total));
	const sale = await sentSale(journal, order.id, total, tip);
	await journal.settle(sale.id, approved);
	return { order, sale };
}

function reversal(
	journal: Journal,
	orderId: string,
	kind: 'refund' | 'void',
	orig: string,
	amount: number
) {
	return journal.beginAttempt({
		orderId,
		kind,
		rail: 'simulated',
		terminalId: 'term-1',
		amount,
		currency: 'EUR',
		origAttemptId: orig
	});
}

describe('orders', () => {
	it('numbers orders with the device prefix and a counter kept in the database', async () => {
		t = testJournal();
		const a = await t.journal.createOrder(orderDraft(500));
		const b = await t.journal.createOrder(orderDraft(700));
		expect([a.number, b.number]).toEqual(['A1-000001', 'A1-000002']);
		expect(a).toMatchObject({ status: 'open', paid: 0, tip: 0, refunded: 0, day: '2025-03-07' });

		// A new Journal on the same database (a reload) continues the counter.
		const again = new Journal(openJournalDb(t.name), { deviceId: 'dev-1', prefix: 'A1' });
		expect((await again.createOrder(orderDraft(100))).number).toBe('A1-000003');
		expect((await again.getOrderByNumber('A1-000002'))?.id).toBe(b.id);
		again.db.close();
	});

	it('refuses a draft with money that is not integer minor units', async () => {
		t = testJournal();
		await expect(t.journal.createOrder(orderDraft(500, { total: 4.99 }))).rejects.toMatchObject({
			code: 'invalid'
		});
		expect(await t.db.orders.count()).toBe(0);
	});

	it('saves new lines of an open order but keeps the journal’s amounts and status', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		await t.journal.addCashTender(order.id, { amount: 400, tendered: 400 });
		const saved = await t.journal.saveOpenOrder({ ...orderDraft(800), id: order.id });
		expect(saved).toMatchObject({ total: 800, paid: 400, status: 'open', number: order.number });
		await expect(
			t.journal.saveOpenOrder({ ...orderDraft(300), id: order.id })
		).rejects.toMatchObject({ code: 'invalid_amount' });
		// Lowering the total to what is paid completes the order.
		expect((await t.journal.saveOpenOrder({ ...orderDraft(400), id: order.id })).status).toBe(
			'paid'
		);
	});

	it('cancels only an order with nothing paid and nothing in progress', async () => {
		t = testJournal();
		const empty = await t.journal.createOrder(orderDraft(500));
		expect((await t.journal.cancelOrder(empty.id)).status).toBe('cancelled');

		const pending = await t.journal.createOrder(orderDraft(500));
		await sentSale(t.journal, pending.id, 500);
		await expect(t.journal.cancelOrder(pending.id)).rejects.toBeInstanceOf(AttemptInProgressError);

		const half = await t.journal.createOrder(orderDraft(500));
		await t.journal.addCashTender(half.id, { amount: 100, tendered: 100 });
		await expect(t.journal.cancelOrder(half.id)).rejects.toMatchObject({ code: 'order_not_open' });
		expect((await t.journal.getOrder(half.id))?.status).toBe('open');
	});
});

describe('beginAttempt', () => {
	it('rejects amounts of zero or less, fractions, and a sale above what is due', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		await t.journal.addCashTender(order.id, { amount: 300, tendered: 300 });
		for (const amount of [0, -5, 10.5, 701]) {
			await expect(sentSale(t.journal, order.id, amount)).rejects.toBeInstanceOf(JournalError);
		}
		await expect(sentSale(t.journal, 'no-such-order', 100)).rejects.toMatchObject({
			code: 'not_found'
		});
		// The attempt and its event are written alongside the checks: a failed check takes both back.
		expect(await t.db.attempts.count()).toBe(0);
		expect((await t.db.events.toArray()).map((e) => e.type)).not.toContain('attempt.created');
		expect((await sentSale(t.journal, order.id, 700)).state).toBe('sent');
	});

	it('refuses a second attempt while one is sent or unknown (rule 3)', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const first = await sentSale(t.journal, order.id, 500);

		const refused = await sentSale(t.journal, order.id, 500).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(AttemptInProgressError);
		expect((refused as AttemptInProgressError).attempt.id).toBe(first.id);

		await t.journal.markUnknown(first.id, { code: 'timeout', message: 'no answer' });
		await expect(sentSale(t.journal, order.id, 500)).rejects.toBeInstanceOf(AttemptInProgressError);
		await expect(
			t.journal.addCashTender(order.id, { amount: 500, tendered: 500 })
		).rejects.toBeInstanceOf(AttemptInProgressError);
		expect(await t.journal.attemptsForOrder(order.id)).toHaveLength(1);
		const created = (await t.journal.eventsForOrder(order.id)).filter(
			(e) => e.type === 'attempt.created'
		);
		expect(created.map((e) => e.entityId)).toEqual([first.id]);

		await t.journal.settle(first.id, { status: 'declined' }, { reconciled: true });
		expect((await sentSale(t.journal, order.id, 500)).state).toBe('sent');
	});

	it('lets only one of two attempts started at once on an order through (rule 3)', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const start = () => t.journal.beginAttempt(saleInput(order.id, 1000));
		const results = await Promise.allSettled([start(), start()]);
		const started = results.filter((r) => r.status === 'fulfilled');
		const refused = results.filter((r) => r.status === 'rejected');
		expect(started).toHaveLength(1);
		expect(refused.map((r) => r.reason)).toEqual([expect.any(AttemptInProgressError)]);
		const created = (await t.journal.eventsForOrder(order.id)).filter(
			(e) => e.type === 'attempt.created'
		);
		expect(created).toHaveLength(1);
		expect(await t.journal.attemptsForOrder(order.id)).toHaveLength(1);
	});

	it('refuses a refund above what is refundable on the original payment', async () => {
		t = testJournal();
		const { order, sale } = await paidByCard(t.journal, 1000, 100);
		await expect(reversal(t.journal, order.id, 'refund', sale.id, 1101)).rejects.toMatchObject({
			code: 'invalid_amount'
		});
		const r = await reversal(t.journal, order.id, 'refund', sale.id, 600);
		await t.journal.markSent(r.id);
		await t.journal.settle(r.id, approved);
		await expect(reversal(t.journal, order.id, 'refund', sale.id, 501)).rejects.toMatchObject({
			code: 'invalid_amount'
		});
		expect((await reversal(t.journal, order.id, 'refund', sale.id, 500)).state).toBe('created');
	});

	it('refuses to reverse a payment that was not approved', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const sale = await sentSale(t.journal, order.id, 1000);
		await t.journal.settle(sale.id, { status: 'declined' });
		await expect(reversal(t.journal, order.id, 'refund', sale.id, 100)).rejects.toMatchObject({
			code: 'not_refundable'
		});
	});
});

describe('settle', () => {
	it('adds the card tender and pays the order in the same step', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const sale = await sentSale(t.journal, order.id, 1000, 150);
		const settled = await t.journal.settle(sale.id, approved);
		expect(settled).toMatchObject({ state: 'approved', outcome: approved });
		expect(await t.journal.getOrder(order.id)).toMatchObject({
			paid: 1000,
			tip: 150,
			status: 'paid'
		});
		expect(await t.journal.tendersForOrder(order.id)).toEqual([
			expect.objectContaining({
				kind: 'card',
				amount: 1000,
				tip: 150,
				attemptId: sale.id,
				status: 'completed',
				reference: 'REF1',
				cardBrand: 'VISA',
				authCode: '123'
			})
		]);
	});

	it('takes the tip the customer chose on the terminal', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const sale = await sentSale(t.journal, order.id, 1000);
		await t.journal.settle(sale.id, { ...approved, tip: 200 });
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 1000, tip: 200 });
	});

	it('counts an approval delivered twice once, and refuses a conflicting one', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const sale = await sentSale(t.journal, order.id, 600);
		await t.journal.settle(sale.id, approved);
		const events = await t.db.events.count();
		await t.journal.settle(sale.id, approved);
		await t.journal.settle(sale.id, approved, { reconciled: true });
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 600, status: 'open' });
		expect(await t.journal.tendersForOrder(order.id)).toHaveLength(1);
		expect(await t.db.events.count()).toBe(events);
		await expect(t.journal.settle(sale.id, { status: 'declined' })).rejects.toBeInstanceOf(
			IllegalTransitionError
		);
	});

	it('writes attempt, tender, order and events together or not at all', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const sale = await sentSale(t.journal, order.id, 1000);
		const events = await t.db.events.count();
		const failing = () => {
			throw new Error('disk full');
		};
		t.db.tenders.hook('creating', failing);
		await expect(t.journal.settle(sale.id, approved)).rejects.toThrow('disk full');
		t.db.tenders.hook('creating').unsubscribe(failing);
		expect((await t.journal.getAttempt(sale.id))?.state).toBe('sent');
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 0, status: 'open' });
		expect(await t.db.events.count()).toBe(events);
		// Nothing half-written blocks the retry.
		expect((await t.journal.settle(sale.id, approved)).state).toBe('approved');
		expect((await t.journal.getOrder(order.id))?.status).toBe('paid');
	});

	it('refuses illegal transitions and changes nothing', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const a = await t.journal.beginAttempt(saleInput(order.id, 1000));
		const events = await t.db.events.count();
		await expect(t.journal.settle(a.id, approved)).rejects.toBeInstanceOf(IllegalTransitionError);
		await expect(t.journal.markUnknown(a.id, { code: 'x', message: 'x' })).rejects.toBeInstanceOf(
			IllegalTransitionError
		);
		expect(await t.journal.getAttempt(a.id)).toEqual(a);
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 0, status: 'open' });
		expect(await t.db.tenders.count()).toBe(0);
		expect(await t.db.events.count()).toBe(events);
	});

	it('settles an unknown attempt only by reconciliation', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const sale = await sentSale(t.journal, order.id, 1000);
		await t.journal.markUnknown(sale.id, { code: 'timeout', message: 'no answer' });
		await expect(t.journal.settle(sale.id, approved)).rejects.toBeInstanceOf(
			IllegalTransitionError
		);
		expect((await t.journal.getOrder(order.id))?.paid).toBe(0);
		const done = await t.journal.settle(sale.id, approved, { reconciled: true });
		expect(done).toMatchObject({ state: 'approved', error: { code: 'timeout' } });
		expect((await t.journal.getOrder(order.id))?.status).toBe('paid');
	});

	it('records every change as events, in order, for the order and its attempt', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const sale = await sentSale(t.journal, order.id, 1000);
		await t.journal.settle(sale.id, approved);
		const trail = await t.journal.eventsForOrder(order.id);
		expect(trail.map((e) => [e.type, e.from, e.to])).toEqual([
			['order.created', undefined, 'open'],
			['attempt.created', undefined, 'created'],
			['attempt.state', 'created', 'sent'],
			['attempt.state', 'sent', 'approved'],
			['tender.added', undefined, undefined],
			['order.paid', 'open', 'paid']
		]);
		const seqs = trail.map((e) => e.seq);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		expect((await t.journal.eventsFor(sale)).map((e) => e.to)).toEqual([
			'created',
			'sent',
			'approved'
		]);
	});
});

describe('tenders', () => {
	it('marks a split cash + card order paid exactly when covered', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const { tender, order: afterCash } = await t.journal.addCashTender(order.id, {
			amount: 400,
			tendered: 500
		});
		expect(tender).toMatchObject({ kind: 'cash', amount: 400, tendered: 500, change: 100 });
		expect(afterCash).toMatchObject({ paid: 400, status: 'open' });

		const card1 = await sentSale(t.journal, order.id, 599);
		await t.journal.settle(card1.id, approved);
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 999, status: 'open' });

		const card2 = await sentSale(t.journal, order.id, 1);
		await t.journal.settle(card2.id, approved);
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 1000, status: 'paid' });
	});

	it('caps cash at what is due and gives the rest as change', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(730));
		const { tender, order: after } = await t.journal.addCashTender(order.id, {
			amount: 2000,
			tendered: 2000
		});
		expect(tender).toMatchObject({ amount: 730, change: 1270 });
		expect(after.status).toBe('paid');
		await expect(
			t.journal.addCashTender(order.id, { amount: 100, tendered: 100 })
		).rejects.toMatchObject({ code: 'order_not_open' });
		const short = await t.journal.createOrder(orderDraft(500));
		await expect(
			t.journal.addCashTender(short.id, { amount: 500, tendered: 400 })
		).rejects.toMatchObject({ code: 'invalid_amount' });
	});
});

describe('refunds and voids', () => {
	it('moves an order to partially refunded, then refunded', async () => {
		t = testJournal();
		const { order, sale } = await paidByCard(t.journal, 1000, 100);
		const r1 = await reversal(t.journal, order.id, 'refund', sale.id, 300);
		await t.journal.markSent(r1.id);
		await t.journal.settle(r1.id, approved);
		expect(await t.journal.getOrder(order.id)).toMatchObject({
			refunded: 300,
			status: 'partially_refunded'
		});
		const r2 = await reversal(t.journal, order.id, 'refund', sale.id, 800);
		await t.journal.markSent(r2.id);
		await t.journal.settle(r2.id, approved);
		expect(await t.journal.getOrder(order.id)).toMatchObject({
			refunded: 1100,
			status: 'refunded'
		});
		expect((await t.journal.tendersForOrder(order.id))[0]).toMatchObject({
			refundedAmount: 1100,
			status: 'refunded'
		});
	});

	it('a declined refund changes no money', async () => {
		t = testJournal();
		const { order, sale } = await paidByCard(t.journal, 1000);
		const r = await reversal(t.journal, order.id, 'refund', sale.id, 300);
		await t.journal.markSent(r.id);
		await t.journal.settle(r.id, { status: 'declined' });
		expect(await t.journal.getOrder(order.id)).toMatchObject({ refunded: 0, status: 'paid' });
	});

	it('voiding the only payment voids the order', async () => {
		t = testJournal();
		const { order, sale } = await paidByCard(t.journal, 1000, 50);
		await expect(reversal(t.journal, order.id, 'void', sale.id, 1000)).rejects.toMatchObject({
			code: 'invalid_amount'
		});
		const v = await reversal(t.journal, order.id, 'void', sale.id, 1050);
		await t.journal.markSent(v.id);
		await t.journal.settle(v.id, approved);
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 0, tip: 0, status: 'voided' });
		expect((await t.journal.tendersForOrder(order.id))[0]?.status).toBe('voided');
	});

	it('voiding the card part of a split payment reopens the order', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		await t.journal.addCashTender(order.id, { amount: 400, tendered: 400 });
		const sale = await sentSale(t.journal, order.id, 600);
		await t.journal.settle(sale.id, approved);
		const v = await reversal(t.journal, order.id, 'void', sale.id, 600);
		await t.journal.markSent(v.id);
		await t.journal.settle(v.id, approved);
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 400, status: 'open' });
	});
});

describe('tip adjustment', () => {
	it('changes the card tip and the order tip, and a void then reverses the new total', async () => {
		t = testJournal();
		const { order, sale } = await paidByCard(t.journal, 1000, 100);
		const tender = await t.journal.adjustTip(sale.id, 250, { status: 'approved', code: '000' });
		expect(tender).toMatchObject({ amount: 1000, tip: 250, status: 'completed' });
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 1000, tip: 250 });
		const events = await t.journal.eventsFor(tender);
		expect(events.at(-1)).toMatchObject({
			type: 'tender.tip_adjusted',
			data: { from: 100, to: 250 }
		});
		const v = await reversal(t.journal, order.id, 'void', sale.id, 1250);
		await t.journal.markSent(v.id);
		await t.journal.settle(v.id, approved);
		expect(await t.journal.getOrder(order.id)).toMatchObject({ tip: 0, status: 'voided' });
	});

	it('refuses a voided payment or a sale that was not approved', async () => {
		t = testJournal();
		const { order, sale } = await paidByCard(t.journal, 1000);
		const v = await reversal(t.journal, order.id, 'void', sale.id, 1000);
		await t.journal.markSent(v.id);
		await t.journal.settle(v.id, approved);
		await expect(t.journal.adjustTip(sale.id, 100)).rejects.toMatchObject({
			code: 'not_refundable'
		});
		const other = await t.journal.createOrder(orderDraft(500));
		const declined = await sentSale(t.journal, other.id, 500);
		await t.journal.settle(declined.id, { status: 'declined' });
		await expect(t.journal.adjustTip(declined.id, 100)).rejects.toBeInstanceOf(JournalError);
	});
});

describe('dayTotals', () => {
	it('adds up the orders of one day only', async () => {
		t = testJournal(new Date(2025, 2, 7, 9, 0).getTime());
		const cash = await t.journal.createOrder(orderDraft(1200));
		await t.journal.addCashTender(cash.id, { amount: 1200, tendered: 2000 });
		const { order: card } = await paidByCard(t.journal, 3000, 300);
		const refunded = await paidByCard(t.journal, 500);
		const r = await reversal(t.journal, refunded.order.id, 'refund', refunded.sale.id, 200);
		await t.journal.markSent(r.id);
		await t.journal.settle(r.id, approved);
		await t.journal.createOrder(orderDraft(999)); // still open
		const cancelled = await t.journal.createOrder(orderDraft(50));
		await t.journal.cancelOrder(cancelled.id);

		t.clock.t = new Date(2025, 2, 8, 9, 0).getTime();
		const tomorrow = await t.journal.createOrder(orderDraft(7000));
		await t.journal.addCashTender(tomorrow.id, { amount: 7000, tendered: 7000 });

		const totals = await t.journal.dayTotals('2025-03-07');
		expect(totals).toMatchObject({
			day: '2025-03-07',
			orders: 5,
			gross: 1200 + 3000 + 500,
			tax: cash.tax + card.tax + refunded.order.tax,
			tips: 300,
			cash: 1200,
			card: 3500,
			refunds: 200
		});
		expect(totals.byStatus).toMatchObject({
			paid: { count: 2, total: 4200 },
			partially_refunded: { count: 1, total: 500 },
			open: { count: 1, total: 999 },
			cancelled: { count: 1, total: 50 },
			voided: { count: 0, total: 0 }
		});
		expect((await t.journal.dayTotals('2025-03-08')).cash).toBe(7000);
		expect((await t.journal.dayTotals('2025-03-09')).orders).toBe(0);
	});
});

describe('listOrders', () => {
	it('finds orders by number, day, status and amount, newest first', async () => {
		t = testJournal(new Date(2025, 2, 6, 12, 0).getTime());
		const o1 = await t.journal.createOrder(orderDraft(1000));
		const o2 = await t.journal.createOrder(orderDraft(2550));
		await t.journal.addCashTender(o2.id, { amount: 2550, tendered: 2550 });
		t.clock.t = new Date(2025, 2, 7, 12, 0).getTime();
		const o3 = await t.journal.createOrder(orderDraft(2550));
		const o4 = await t.journal.createOrder(orderDraft(80));
		const ids = (orders: { id: string }[]) => orders.map((o) => o.id);

		expect(ids(await t.journal.listOrders({ limit: 10 }))).toEqual([o4.id, o3.id, o2.id, o1.id]);
		expect(ids(await t.journal.listOrders({ limit: 2, offset: 1 }))).toEqual([o3.id, o2.id]);
		expect(ids(await t.journal.listOrders({ search: 'a1-000002', limit: 10 }))).toEqual([o2.id]);
		expect(ids(await t.journal.listOrders({ search: '3', limit: 10 }))).toEqual([o3.id]);
		expect(ids(await t.journal.listOrders({ day: '2025-03-06', limit: 10 }))).toEqual([
			o2.id,
			o1.id
		]);
		expect(ids(await t.journal.listOrders({ status: 'paid', limit: 10 }))).toEqual([o2.id]);
		expect(
			ids(await t.journal.listOrders({ minAmount: 2550, maxAmount: 2550, limit: 10 }))
		).toEqual([o3.id, o2.id]);
		expect(ids(await t.journal.listOrders({ minAmount: 2000, limit: 10 }))).toEqual([o3.id, o2.id]);
		expect(
			ids(
				await t.journal.listOrders({
					day: '2025-03-07',
					status: 'open',
					maxAmount: 100,
					limit: 10
				})
			)
		).toEqual([o4.id]);
		expect(await t.journal.listOrders({ search: 'B9', limit: 10 })).toEqual([]);
	});
});

describe('the journal clock', () => {
	it('never gives two changes the same time, even when the clock stands still', async () => {
		const db = openJournalDb(`journal-clock-${crypto.randomUUID()}`);
		const journal = new Journal(db, {
			deviceId: 'dev-1',
			prefix: 'A1',
			now: () => 1_741_341_600_000
		});
		t = { db, journal, name: db.name, clock: { t: 0 } };
		const order = await journal.createOrder(orderDraft(1000));
		const { order: paid } = await journal.addCashTender(order.id, { amount: 1000, tendered: 1000 });
		// The server keeps the version with the later updatedAt: the paid order must be later.
		expect(paid.updatedAt).toBeGreaterThan(order.updatedAt);
	});
});
