/**
 * Cashback is money that leaves the drawer (issue 9): the attempt holds it from the moment it is
 * created, the tender of the approved sale records what the terminal handed over, and the day's
 * figures count it, through a reload and a reconcile. Fuel lines are kept the same way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDb } from './db';
import { Journal } from './journal';
import { handleUnsolicitedResult, reconcilePending, runRefund, runSale, runVoid } from './payments';
import {
	deferred,
	FakeTerminal,
	orderDraft,
	saleInput,
	testJournal,
	type TestJournal
} from './testing';
import type { Outcome } from '../terminals/driver';

let t: TestJournal;
const opened: { close(): void }[] = [];

afterEach(() => {
	for (const db of opened.splice(0)) db.close();
	t?.db.close();
});

/** A terminal that gives cashback and takes fuel lines. */
function cashbackTerminal(): FakeTerminal {
	const terminal = new FakeTerminal();
	terminal.capabilities = { ...terminal.capabilities, cashback: true, fuelLines: true };
	return terminal;
}

/** The till reloaded: the same database, a new journal on it (nothing in memory survives). */
function reload(): Journal {
	const db = openJournalDb(t.name);
	opened.push(db);
	return new Journal(db, { deviceId: 'dev-1', prefix: 'A1', now: () => t.clock.t++ });
}

describe('the attempt holds the sale’s extras', () => {
	it('has the cashback before the terminal is asked, and the terminal is asked for it', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1200));
		const terminal = cashbackTerminal();
		let seenWhileSending: unknown;
		terminal.onSale = async () => {
			seenWhileSending = (await t.journal.attemptsForOrder(order.id))[0];
			return { status: 'approved', reference: 'R1' };
		};
		await runSale(t.journal, terminal, { orderId: order.id, amount: 1200, cashback: 2000 });
		expect(seenWhileSending).toMatchObject({ state: 'sent', amount: 1200, cashback: 2000 });
		expect(terminal.calls[0]).toMatchObject({
			op: 'sale',
			request: { amount: 1200, tip: 0, cashback: 2000 }
		});
		const created = (await t.journal.eventsForOrder(order.id)).find(
			(e) => e.type === 'attempt.created'
		);
		expect(created?.data).toMatchObject({ amount: 1200, cashback: 2000 });
	});

	it('keeps fuel lines on the attempt and sends them', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(3000));
		const terminal = cashbackTerminal();
		const fuelLines = [
			{ code: 'D50', quantity: '10.000', amount: 2000 },
			{ code: 'E10', quantity: '5.500', amount: 1000 }
		];
		const attempt = await runSale(t.journal, terminal, {
			orderId: order.id,
			amount: 3000,
			fuelLines
		});
		expect(attempt).toMatchObject({ state: 'approved', fuelLines });
		expect((await reload().getAttempt(attempt.id))?.fuelLines).toEqual(fuelLines);
		expect(terminal.calls[0]?.request).toMatchObject({ fuelLines });
	});

	it('refuses extras that cannot be: cashback on a refund, on a fuel sale, lines that do not add up', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(3000));
		const line = { code: 'D50', quantity: '1.000', amount: 3000 };
		await expect(
			t.journal.beginAttempt({ ...saleInput(order.id, 3000), cashback: 500, fuelLines: [line] })
		).rejects.toThrow('A fuel sale cannot give cashback.');
		await expect(
			t.journal.beginAttempt({ ...saleInput(order.id, 2000), fuelLines: [line] })
		).rejects.toThrow('The fuel lines add up to 3000, not the 2000 charged.');
		await expect(
			t.journal.beginAttempt({ ...saleInput(order.id, 3000), cashback: -1 })
		).rejects.toThrow(/cashback/);
		const sale = await runSale(t.journal, cashbackTerminal(), { orderId: order.id, amount: 3000 });
		await expect(
			t.journal.beginAttempt({
				...saleInput(order.id, 1000),
				kind: 'refund',
				origAttemptId: sale.id,
				cashback: 500
			})
		).rejects.toThrow('A refund cannot carry cashback or fuel lines.');
		expect(await t.journal.attemptsForOrder(order.id)).toHaveLength(1);
	});
});

describe('the approved sale records the cash paid out', () => {
	it('credits the order the goods only, and puts the cashback on the card tender', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1200));
		await runSale(t.journal, cashbackTerminal(), {
			orderId: order.id,
			amount: 1200,
			tip: 100,
			cashback: 2000
		});
		expect(await t.journal.getOrder(order.id)).toMatchObject({
			status: 'paid',
			paid: 1200,
			tip: 100
		});
		expect(await t.journal.tendersForOrder(order.id)).toMatchObject([
			{ kind: 'card', amount: 1200, tip: 100, cashback: 2000 }
		]);
		expect(await t.journal.dayTotals(order.day)).toMatchObject({
			gross: 1200,
			tips: 100,
			card: 3200,
			cash: 0,
			cashPaidOut: 2000
		});
	});

	it('records what the terminal approved when it differs from what was asked, and keeps both', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1200));
		const terminal = cashbackTerminal();
		terminal.onSale = async () => ({ status: 'approved', reference: 'R1', cashback: 1000 });
		const attempt = await runSale(t.journal, terminal, {
			orderId: order.id,
			amount: 1200,
			cashback: 2000
		});
		expect(attempt).toMatchObject({ cashback: 2000, outcome: { cashback: 1000 } });
		expect((await t.journal.tendersForOrder(order.id))[0]?.cashback).toBe(1000);
		expect((await t.journal.dayTotals(order.day)).cashPaidOut).toBe(1000);
	});

	it('survives a reload mid-sale: reconciled once, the cashback counted once', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1200));
		const before = cashbackTerminal();
		const hung = deferred<Outcome>();
		before.onSale = () => hung.promise;
		void runSale(t.journal, before, { orderId: order.id, amount: 1200, cashback: 2000 });
		await expect.poll(async () => (await t.journal.pendingAttempts()).length).toBe(1);
		t.db.close();

		// After the reload the terminal's answer to the query says nothing of the cashback.
		const journal = reload();
		const after = cashbackTerminal();
		after.onQuery = async () => ({ status: 'approved', reference: 'R9' });
		const report = await reconcilePending(journal, () => after);
		expect(report.settled).toMatchObject([{ state: 'approved', cashback: 2000 }]);
		const [attempt] = report.settled;
		// The result re-delivered on reconnect changes nothing.
		await handleUnsolicitedResult(journal, attempt!.merchantOrderNo, {
			status: 'approved',
			reference: 'R9',
			cashback: 2000
		});
		expect(await journal.tendersForOrder(order.id)).toMatchObject([
			{ kind: 'card', amount: 1200, cashback: 2000 }
		]);
		expect(await journal.getOrder(order.id)).toMatchObject({ status: 'paid', paid: 1200 });
		expect(await journal.dayTotals(order.day)).toMatchObject({ card: 3200, cashPaidOut: 2000 });
	});
});

describe('the day’s figures', () => {
	it('count cashback in card and in cash paid out; a refund keeps it paid out, a void takes it back', async () => {
		t = testJournal();
		const terminal = cashbackTerminal();
		const cashOrder = await t.journal.createOrder(orderDraft(500));
		await t.journal.addCashTender(cashOrder.id, { amount: 500, tendered: 500 });
		const refunded = await t.journal.createOrder(orderDraft(1200));
		const sale = await runSale(t.journal, terminal, {
			orderId: refunded.id,
			amount: 1200,
			cashback: 2000
		});
		const voided = await t.journal.createOrder(orderDraft(800));
		const second = await runSale(t.journal, terminal, {
			orderId: voided.id,
			amount: 800,
			cashback: 1000
		});
		const day = cashOrder.day;
		expect(await t.journal.dayTotals(day)).toMatchObject({
			cash: 500,
			card: 1200 + 2000 + 800 + 1000,
			cashPaidOut: 3000
		});

		// Cashback is not refundable: all that a refund can return is the goods.
		await expect(
			runRefund(t.journal, terminal, { origAttemptId: sale.id, amount: 1201 })
		).rejects.toThrow('At most 1200 can still be refunded');
		await runRefund(t.journal, terminal, { origAttemptId: sale.id, amount: 1200 });
		expect(await t.journal.dayTotals(day)).toMatchObject({ refunds: 1200, cashPaidOut: 3000 });

		// A void reverses the whole card charge: the customer hands the cashback back.
		await runVoid(t.journal, terminal, { origAttemptId: second.id });
		expect(terminal.calls.at(-1)).toMatchObject({ op: 'void', request: { amount: 800 } });
		const totals = await t.journal.dayTotals(day);
		expect(totals).toMatchObject({ cash: 500, card: 3200, cashPaidOut: 2000 });
		expect(totals.cash - totals.cashPaidOut).toBe(-1500);
		expect((await t.journal.tendersForOrder(voided.id))[0]).toMatchObject({
			status: 'voided',
			cashback: 1000
		});

		// The kept row and a count from the records agree.
		await t.db.days.delete(day);
		expect(await t.journal.dayTotals(day)).toEqual(totals);
	});

	it('read a day kept before cash paid out existed as none paid out, then count new cashback', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(500));
		await t.journal.addCashTender(order.id, { amount: 500, tendered: 500 });
		const row = (await t.db.days.get(order.day))!;
		await t.db.days.put({ ...row, cashPaidOut: undefined as unknown as number });
		expect((await t.journal.dayTotals(order.day)).cashPaidOut).toBe(0);
		const next = await t.journal.createOrder(orderDraft(700));
		await runSale(t.journal, cashbackTerminal(), { orderId: next.id, amount: 700, cashback: 300 });
		expect(await t.journal.dayTotals(order.day)).toMatchObject({
			cash: 500,
			card: 1000,
			cashPaidOut: 300
		});
	});
});
