import { afterEach, describe, expect, it } from 'vitest';
import type { Outcome, PreAuthCompleteRequest, SaleRequest } from '../terminals/driver';
import { JournalError } from './errors';
import { openHolds } from './holds';
import {
	reconcileAttempt,
	runPreAuth,
	runPreAuthCancel,
	runPreAuthCompletion,
	runRefund,
	runVoid
} from './payments';
import { FakeTerminal, orderDraft, testJournal, type TestJournal } from './testing';

/** A terminal that also takes holds, recording each call like `FakeTerminal`. */
class HoldingTerminal extends FakeTerminal {
	constructor() {
		super();
		this.capabilities = { ...this.capabilities, preAuth: true };
	}
	onPreAuth = async (_: SaleRequest): Promise<Outcome> => ({ status: 'approved', reference: 'H1' });
	onComplete = async (_: PreAuthCompleteRequest): Promise<Outcome> => ({
		status: 'approved',
		reference: 'C1'
	});
	onRelease = async (_: PreAuthCompleteRequest): Promise<Outcome> => ({
		status: 'approved',
		reference: 'X1'
	});
	preAuth(request: SaleRequest): Promise<Outcome> {
		this.calls.push({ op: 'preAuth', request });
		return this.onPreAuth(request);
	}
	preAuthComplete(request: PreAuthCompleteRequest): Promise<Outcome> {
		this.calls.push({ op: 'preAuthComplete', request });
		return this.onComplete(request);
	}
	preAuthCancel(request: PreAuthCompleteRequest): Promise<Outcome> {
		this.calls.push({ op: 'preAuthCancel', request });
		return this.onRelease(request);
	}
}

let t: TestJournal;
afterEach(() => t?.db.close());

async function setup(total = 4000) {
	t = testJournal();
	const order = await t.journal.createOrder(orderDraft(total));
	return { order, terminal: new HoldingTerminal() };
}

describe('card holds (pre-authorisation)', () => {
	it('holds an amount without paying the order, then completes what is due', async () => {
		const { order, terminal } = await setup(4000);
		const hold = await runPreAuth(t.journal, terminal, { orderId: order.id, amount: 5000 });
		expect(hold).toMatchObject({ kind: 'preauth', state: 'approved', amount: 5000 });
		// A hold is not a payment: the order is still open with everything due.
		expect(await t.journal.getOrder(order.id)).toMatchObject({ status: 'open', paid: 0 });
		expect(await t.journal.tendersForOrder(order.id)).toEqual([]);

		const done = await runPreAuthCompletion(t.journal, terminal, {
			origAttemptId: hold.id,
			amount: 4000
		});
		expect(done).toMatchObject({ kind: 'preauth_completion', state: 'approved' });
		expect(terminal.calls.at(-1)).toEqual({
			op: 'preAuthComplete',
			request: {
				merchantOrderNo: done.merchantOrderNo,
				origMerchantOrderNo: hold.merchantOrderNo,
				amount: 4000,
				currency: 'EUR'
			}
		});
		expect(await t.journal.getOrder(order.id)).toMatchObject({ status: 'paid', paid: 4000 });
		expect(await t.journal.tendersForOrder(order.id)).toMatchObject([
			{ kind: 'card', amount: 4000, attemptId: done.id, reference: 'C1' }
		]);
		expect(openHolds(await t.journal.attemptsForOrder(order.id))).toEqual([]);
	});

	it('refuses to complete more than the hold or than is due, and a second hold', async () => {
		const { order, terminal } = await setup(4000);
		const hold = await runPreAuth(t.journal, terminal, { orderId: order.id, amount: 3000 });
		await expect(
			runPreAuthCompletion(t.journal, terminal, { origAttemptId: hold.id, amount: 3500 })
		).rejects.toThrow(/cannot charge more/);
		await expect(
			runPreAuth(t.journal, terminal, { orderId: order.id, amount: 1000 })
		).rejects.toThrow(/already has a card hold/);
		await expect(t.journal.cancelOrder(order.id)).rejects.toThrow(/Release it first/);
		// Nothing of that reached the terminal.
		expect(terminal.calls.map((c) => c.op)).toEqual(['preAuth']);
	});

	it('releases a hold: nothing is charged, and it can no longer be completed', async () => {
		const { order, terminal } = await setup(4000);
		const hold = await runPreAuth(t.journal, terminal, { orderId: order.id, amount: 4000 });
		const released = await runPreAuthCancel(t.journal, terminal, { origAttemptId: hold.id });
		expect(released).toMatchObject({ kind: 'preauth_cancel', state: 'approved', amount: 4000 });
		expect(await t.journal.getOrder(order.id)).toMatchObject({ status: 'open', paid: 0 });
		await expect(
			runPreAuthCompletion(t.journal, terminal, { origAttemptId: hold.id, amount: 4000 })
		).rejects.toBeInstanceOf(JournalError);
		// The order can be cancelled now that the card is free.
		expect(await t.journal.cancelOrder(order.id)).toMatchObject({ status: 'cancelled' });
	});

	it('a declined hold leaves nothing to complete', async () => {
		const { order, terminal } = await setup();
		terminal.onPreAuth = async () => ({ status: 'declined', message: 'Insufficient funds' });
		const hold = await runPreAuth(t.journal, terminal, { orderId: order.id, amount: 4000 });
		expect(hold.state).toBe('declined');
		expect(openHolds(await t.journal.attemptsForOrder(order.id))).toEqual([]);
	});

	it('a completion lost in transit is unknown, then paid once by reconciliation', async () => {
		const { order, terminal } = await setup(4000);
		const hold = await runPreAuth(t.journal, terminal, { orderId: order.id, amount: 4000 });
		terminal.onComplete = async () => {
			throw new Error('socket closed');
		};
		const lost = await runPreAuthCompletion(t.journal, terminal, {
			origAttemptId: hold.id,
			amount: 4000
		});
		expect(lost.state).toBe('unknown');
		// No second charge while the first is in doubt (rule 3).
		await expect(
			runPreAuthCompletion(t.journal, terminal, { origAttemptId: hold.id, amount: 4000 })
		).rejects.toThrow();
		terminal.onQuery = async (q) => {
			expect(q).toMatchObject({
				merchantOrderNo: lost.merchantOrderNo,
				kind: 'preauth_completion'
			});
			return { status: 'approved', reference: 'C9' };
		};
		expect(await reconcileAttempt(t.journal, terminal, lost)).toMatchObject({ state: 'approved' });
		expect(await t.journal.getOrder(order.id)).toMatchObject({ status: 'paid', paid: 4000 });
		expect(await t.journal.tendersForOrder(order.id)).toHaveLength(1);
	});

	it('a completed hold is refunded like a sale', async () => {
		const { order, terminal } = await setup(4000);
		const hold = await runPreAuth(t.journal, terminal, { orderId: order.id, amount: 4000 });
		const done = await runPreAuthCompletion(t.journal, terminal, {
			origAttemptId: hold.id,
			amount: 4000
		});
		const refund = await runRefund(t.journal, terminal, { origAttemptId: done.id, amount: 1000 });
		expect(refund.state).toBe('approved');
		expect(await t.journal.getOrder(order.id)).toMatchObject({
			status: 'partially_refunded',
			refunded: 1000
		});
	});

	it('a completed hold is voided like a sale', async () => {
		const { order, terminal } = await setup(2000);
		const hold = await runPreAuth(t.journal, terminal, { orderId: order.id, amount: 2000 });
		const done = await runPreAuthCompletion(t.journal, terminal, {
			origAttemptId: hold.id,
			amount: 2000
		});
		expect((await runVoid(t.journal, terminal, { origAttemptId: done.id })).state).toBe('approved');
		expect(await t.journal.getOrder(order.id)).toMatchObject({ status: 'voided' });
	});
});
