import { afterEach, describe, expect, it } from 'vitest';
import { TerminalError, type Outcome } from '../terminals/driver';
import { openJournalDb } from './db';
import { AttemptInProgressError } from './errors';
import {
	handleUnsolicitedResult,
	reconcileAttempt,
	reconcilePending,
	runRefund,
	runSale,
	runVoid
} from './payments';
import { FakeTerminal, deferred, orderDraft, testJournal, type TestJournal } from './testing';

const approved: Outcome = { status: 'approved', reference: 'T-1', maskedCard: '****4242' };

let t: TestJournal;
afterEach(() => t?.db.close());

async function newOrder(total = 1000) {
	return t.journal.createOrder(orderDraft(total));
}

describe('runSale', () => {
	it('has the attempt committed to IndexedDB when the terminal is asked (rule 1)', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		let seenByAnotherConnection: unknown;
		terminal.onSale = async (request) => {
			const other = openJournalDb(t.name);
			seenByAnotherConnection = await other.attempts
				.where('merchantOrderNo')
				.equals(request.merchantOrderNo)
				.first();
			other.close();
			return approved;
		};
		const attempt = await runSale(t.journal, terminal, {
			orderId: order.id,
			amount: 1000,
			tip: 100
		});
		expect(seenByAnotherConnection).toMatchObject({
			id: attempt.id,
			orderId: order.id,
			state: 'sent',
			amount: 1000,
			tip: 100
		});
		expect(attempt.state).toBe('approved');
		expect(terminal.calls[0]?.request).toMatchObject({
			merchantOrderNo: attempt.merchantOrderNo,
			amount: 1000,
			tip: 100,
			currency: 'EUR'
		});
		expect(await t.journal.getOrder(order.id)).toMatchObject({
			paid: 1000,
			tip: 100,
			status: 'paid'
		});
	});

	it('records a declined card as declined and takes no money', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		terminal.onSale = async () => ({
			status: 'declined',
			message: 'Insufficient funds',
			code: '51'
		});
		const attempt = await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 });
		expect(attempt).toMatchObject({ state: 'declined', outcome: { code: '51' } });
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 0, status: 'open' });
	});

	it('makes a transport failure after sending unknown, never declined (rule 2)', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		terminal.onSale = async () => {
			throw new TerminalError('connection_lost', 'socket closed', true);
		};
		const attempt = await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 });
		expect(attempt).toMatchObject({
			state: 'unknown',
			error: { code: 'connection_lost', message: 'socket closed' }
		});
		expect(await t.journal.pendingAttempts()).toEqual([attempt]);
		// Not retried blindly: the order is blocked until the result is known.
		await expect(
			runSale(t.journal, terminal, { orderId: order.id, amount: 1000 })
		).rejects.toBeInstanceOf(AttemptInProgressError);
		expect(terminal.calls.filter((c) => c.op === 'sale')).toHaveLength(1);
	});

	it('treats an unexpected error while waiting as unknown too', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		terminal.onSale = async () => {
			throw new TypeError('driver bug');
		};
		expect((await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 })).state).toBe(
			'unknown'
		);
	});

	it('treats an answer it cannot read as unknown', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		terminal.onSale = async () => ({ status: 'approved', amount: 10.5 });
		const attempt = await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 });
		expect(attempt).toMatchObject({ state: 'unknown', error: { code: 'protocol' } });
		expect((await t.journal.getOrder(order.id))?.paid).toBe(0);
	});

	it('cancels an attempt that certainly never reached the terminal, and allows another', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		terminal.onSale = async () => {
			throw new TerminalError('not_connected', 'Terminal not connected', false);
		};
		const failed = await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 });
		expect(failed).toMatchObject({ state: 'cancelled', error: { code: 'not_connected' } });

		terminal.onSale = async () => approved;
		expect((await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 })).state).toBe(
			'approved'
		);
	});

	it('refuses a second payment on the order while the first is with the terminal (rule 3)', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		const answer = deferred<Outcome>();
		terminal.onSale = () => answer.promise;
		const first = runSale(t.journal, terminal, { orderId: order.id, amount: 1000 });
		await expect.poll(() => terminal.calls.length).toBe(1);

		const second = await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 }).catch(
			(e: unknown) => e
		);
		expect(second).toBeInstanceOf(AttemptInProgressError);
		expect((second as AttemptInProgressError).attempt.state).toBe('sent');

		answer.resolve(approved);
		expect((await first).state).toBe('approved');
		expect(terminal.calls).toHaveLength(1);
		expect((await t.journal.getOrder(order.id))?.paid).toBe(1000);
	});

	it('takes the terminal’s own answer even if the attempt was marked unknown meanwhile', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		terminal.onSale = async (request) => {
			const attempt = await t.journal.attemptByMerchantOrderNo(request.merchantOrderNo);
			await t.journal.markUnknown(attempt!.id, { code: 'timeout', message: 'slow' });
			return approved;
		};
		expect((await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 })).state).toBe(
			'approved'
		);
		expect((await t.journal.getOrder(order.id))?.status).toBe('paid');
	});
});

describe('refund and void', () => {
	it('refunds part, then the rest, of a card sale', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		const sale = await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 });
		const r1 = await runRefund(t.journal, terminal, { origAttemptId: sale.id, amount: 400 });
		expect(r1).toMatchObject({ kind: 'refund', state: 'approved', origAttemptId: sale.id });
		expect(terminal.calls.at(-1)?.request).toMatchObject({
			origMerchantOrderNo: sale.merchantOrderNo,
			origReference: 'R1',
			amount: 400
		});
		expect((await t.journal.getOrder(order.id))?.status).toBe('partially_refunded');
		const r2 = await runRefund(t.journal, terminal, {
			origAttemptId: sale.id,
			amount: 600,
			approval: { staffId: 'morgan', approvalId: 'ap-1' }
		});
		// Who approved it is part of the attempt and of its audit trail.
		expect(r2.approval).toEqual({ staffId: 'morgan', approvalId: 'ap-1' });
		const created = (await t.journal.eventsFor(r2)).find((e) => e.type === 'attempt.created');
		expect(created?.data).toMatchObject({ approvedBy: 'morgan', approvalId: 'ap-1' });
		expect(await t.journal.getOrder(order.id)).toMatchObject({
			refunded: 1000,
			status: 'refunded'
		});
	});

	it('voids a card sale', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		const sale = await runSale(t.journal, terminal, { orderId: order.id, amount: 1000, tip: 50 });
		const v = await runVoid(t.journal, terminal, { origAttemptId: sale.id });
		expect(v).toMatchObject({ kind: 'void', state: 'approved', amount: 1050 });
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 0, tip: 0, status: 'voided' });
	});

	it('does not start a reversal the terminal cannot do', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		const sale = await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 });
		terminal.capabilities = { ...terminal.capabilities, partialRefund: false, void: false };
		await expect(
			runRefund(t.journal, terminal, { origAttemptId: sale.id, amount: 400 })
		).rejects.toMatchObject({ code: 'unsupported' });
		await expect(runVoid(t.journal, terminal, { origAttemptId: sale.id })).rejects.toMatchObject({
			code: 'unsupported'
		});
		expect(await t.journal.attemptsForOrder(order.id)).toHaveLength(1);
	});
});

describe('reconciliation (rule 4)', () => {
	async function strandedAttempts() {
		const terminal = new FakeTerminal();
		const unreachable = new FakeTerminal('term-2');
		const stuckSent = await newOrder(1000);
		const stuckUnknown = await newOrder(2000);
		const neverSent = await newOrder(3000);
		const otherTerminal = await newOrder(4000);

		// The app "crashed" while waiting on the first.
		const a1 = await t.journal.beginAttempt({
			orderId: stuckSent.id,
			kind: 'sale',
			rail: 'simulated',
			terminalId: 'term-1',
			amount: 1000,
			currency: 'EUR'
		});
		await t.journal.markSent(a1.id);
		terminal.onSale = async () => {
			throw new TerminalError('timeout', 'no answer', true);
		};
		const a2 = await runSale(t.journal, terminal, { orderId: stuckUnknown.id, amount: 2000 });
		const a3 = await t.journal.beginAttempt({
			orderId: neverSent.id,
			kind: 'sale',
			rail: 'simulated',
			terminalId: 'term-1',
			amount: 3000,
			currency: 'EUR'
		});
		unreachable.onSale = terminal.onSale;
		const a4 = await runSale(t.journal, unreachable, { orderId: otherTerminal.id, amount: 4000 });
		return {
			terminal,
			unreachable,
			a1,
			a2,
			a3,
			a4,
			stuckSent,
			stuckUnknown,
			neverSent,
			otherTerminal
		};
	}

	it('settles sent and unknown attempts from the terminal’s answers at start-up', async () => {
		t = testJournal();
		const s = await strandedAttempts();
		s.terminal.onQuery = async (q) =>
			q.merchantOrderNo === s.a1.merchantOrderNo ? approved : { status: 'declined' };
		s.unreachable.onQuery = async () => {
			throw new TerminalError('unreachable', 'no route to host', false);
		};

		const report = await reconcilePending(t.journal, (id) =>
			id === 'term-1' ? s.terminal : id === 'term-2' ? s.unreachable : undefined
		);

		expect(report.notSent.map((a) => [a.id, a.state])).toEqual([[s.a3.id, 'cancelled']]);
		expect(report.settled.map((a) => [a.id, a.state])).toEqual([
			[s.a1.id, 'approved'],
			[s.a2.id, 'declined']
		]);
		expect(report.unknown.map((a) => [a.id, a.state])).toEqual([[s.a4.id, 'unknown']]);
		expect((await t.journal.getOrder(s.stuckSent.id))?.status).toBe('paid');
		expect((await t.journal.getOrder(s.stuckUnknown.id))?.paid).toBe(0);
		// The crash is on the record: sent -> unknown -> approved (reconciled).
		const events = await t.journal.eventsFor(s.a1);
		const trail = events.filter((e) => e.type !== 'attempt.queried');
		expect(trail.map((e) => e.to)).toEqual(['created', 'sent', 'unknown', 'approved']);
		expect(trail.at(-1)?.data).toMatchObject({ reconciled: true });
		// The query that settled it is in the evidence, before the move it caused.
		expect(events.map((e) => e.type).slice(-2)).toEqual(['attempt.queried', 'attempt.state']);
		expect(events.at(-2)?.data).toMatchObject({ answer: { status: 'approved' } });
		// The never-sent attempt was not asked about.
		const queried = s.terminal.calls.filter((c) => c.op === 'query').map((c) => c.request);
		expect(queried).not.toContainEqual(
			expect.objectContaining({ merchantOrderNo: s.a3.merchantOrderNo })
		);
		expect(await t.journal.pendingAttempts()).toEqual([expect.objectContaining({ id: s.a4.id })]);
	});

	it('leaves attempts unknown when the terminal is unknown, unreachable or has no answer', async () => {
		t = testJournal();
		const s = await strandedAttempts();
		s.terminal.onQuery = async () => ({ status: 'unknown' });
		const report = await reconcilePending(t.journal, (id) =>
			id === 'term-1' ? s.terminal : undefined
		);
		expect(report.settled).toEqual([]);
		expect(report.unknown.map((a) => a.id)).toEqual([s.a1.id, s.a2.id, s.a4.id]);
		expect((await t.journal.getOrder(s.stuckSent.id))?.paid).toBe(0);
		expect(await reconcileAttempt(t.journal, s.terminal, s.a2)).toMatchObject({ state: 'unknown' });
	});
});

describe('handleUnsolicitedResult', () => {
	it('settles an unknown attempt from a re-delivered result', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		terminal.onSale = async () => {
			throw new TerminalError('connection_lost', 'socket closed', true);
		};
		const attempt = await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 });
		const settled = await handleUnsolicitedResult(t.journal, attempt.merchantOrderNo, approved);
		expect(settled?.state).toBe('approved');
		expect((await t.journal.getOrder(order.id))?.status).toBe('paid');
	});

	it('does not pay twice for an approval delivered again, nor throw on strangers', async () => {
		t = testJournal();
		const order = await newOrder();
		const terminal = new FakeTerminal();
		const attempt = await runSale(t.journal, terminal, {
			orderId: order.id,
			amount: 1000,
			tip: 100
		});
		const events = await t.db.events.count();

		await handleUnsolicitedResult(t.journal, attempt.merchantOrderNo, approved);
		const conflicting = await handleUnsolicitedResult(t.journal, attempt.merchantOrderNo, {
			status: 'declined'
		});
		expect(conflicting?.state).toBe('approved');
		expect(await handleUnsolicitedResult(t.journal, 'NOPE123', approved)).toBeUndefined();

		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 1000, tip: 100 });
		expect(await t.journal.tendersForOrder(order.id)).toHaveLength(1);
		expect(await t.db.events.count()).toBe(events);
	});
});
