import { afterEach, describe, expect, it } from 'vitest';
import { TerminalError } from '../terminals/driver';
import { evidenceOf } from './evidence';
import { reconcileAttempt, runSale } from './payments';
import { RESOLVE_AFTER_MS } from './resolve';
import { resolveAttempt } from './resolve-attempt';
import { FakeTerminal, orderDraft, testJournal, type TestJournal } from './testing';

let t: TestJournal;
afterEach(() => t?.db.close());

const approval = { staffId: 'mgr-1', approvalId: 'ap-1' };

/** The stuck order: the sale was sent, its answer lost, and the terminal has nothing. */
async function stuckSale(terminal = new FakeTerminal()) {
	const order = await t.journal.createOrder(orderDraft(1200));
	terminal.onSale = async () => {
		throw new TerminalError('connection_lost', 'Lost the connection to the terminal', true);
	};
	const attempt = await runSale(t.journal, terminal, { orderId: order.id, amount: 1200 });
	expect(attempt.state).toBe('unknown');
	terminal.onQuery = async () => ({
		status: 'unknown',
		finding: 'not_found',
		code: 'X',
		message: 'Order not found'
	});
	return { order, attempt, terminal };
}

describe('evidence of reconciliation', () => {
	it('records every query and its answer, with times, as attempt events', async () => {
		t = testJournal();
		const { attempt, terminal } = await stuckSale();
		await reconcileAttempt(t.journal, terminal, attempt);
		terminal.onQuery = async () => {
			throw new TerminalError('unreachable', 'No connection to the terminal', false);
		};
		await reconcileAttempt(t.journal, terminal, attempt);
		const evidence = evidenceOf(await t.journal.eventsFor(attempt), attempt.id);
		expect(evidence).toHaveLength(2);
		expect(evidence[0]?.answer).toEqual({
			status: 'unknown',
			finding: 'not_found',
			code: 'X',
			message: 'Order not found'
		});
		expect(evidence[1]?.error).toEqual({
			code: 'unreachable',
			message: 'No connection to the terminal'
		});
		for (const q of evidence) expect(q.answeredAt).toBeGreaterThanOrEqual(q.askedAt);
	});

	it('records the same answer again only after a minute, and a changed one at once', async () => {
		t = testJournal();
		const { attempt, terminal } = await stuckSale();
		for (let i = 0; i < 5; i++) await reconcileAttempt(t.journal, terminal, attempt);
		expect(evidenceOf(await t.journal.eventsFor(attempt), attempt.id)).toHaveLength(1);
		t.clock.t += 61_000;
		await reconcileAttempt(t.journal, terminal, attempt);
		terminal.onQuery = async () => ({ status: 'unknown', message: 'In progress' });
		await reconcileAttempt(t.journal, terminal, attempt);
		expect(evidenceOf(await t.journal.eventsFor(attempt), attempt.id)).toHaveLength(3);
	});
});

describe('resolveAttempt', () => {
	it('refuses while the automatic checks have not run out', async () => {
		t = testJournal();
		const { attempt, terminal } = await stuckSale();
		await reconcileAttempt(t.journal, terminal, attempt);
		await expect(
			resolveAttempt(
				t.journal,
				terminal,
				attempt.id,
				{ verdict: 'not_charged', reason: 'x' },
				approval
			)
		).rejects.toThrow(/does not know this payment/);
		expect((await t.journal.getAttempt(attempt.id))?.state).toBe('unknown');
	});

	it('"not charged" after N minutes of "not found" frees the order to be paid again', async () => {
		t = testJournal();
		const { order, attempt, terminal } = await stuckSale();
		await reconcileAttempt(t.journal, terminal, attempt);
		t.clock.t += RESOLVE_AFTER_MS + 1000;
		await reconcileAttempt(t.journal, terminal, attempt);
		const resolved = await resolveAttempt(
			t.journal,
			terminal,
			attempt.id,
			{ verdict: 'not_charged', reason: 'Terminal list shows no such sale' },
			approval
		);
		expect(resolved.state).toBe('cancelled');
		expect(resolved.resolution).toMatchObject({
			verdict: 'not_charged',
			staffId: 'mgr-1',
			approvalId: 'ap-1',
			reason: 'Terminal list shows no such sale'
		});
		const events = await t.journal.eventsFor(attempt);
		const audit = events.find((e) => e.type === 'attempt.resolved');
		expect(audit).toMatchObject({ from: 'unknown', to: 'cancelled' });
		expect(audit?.data?.staffId).toBe('mgr-1');
		expect(audit?.data?.evidence).toHaveLength(2);
		// Nothing was charged: the order is open and a new sale goes through.
		terminal.onSale = async () => ({ status: 'approved', reference: 'R2' });
		const again = await runSale(t.journal, terminal, { orderId: order.id, amount: 1200 });
		expect(again.state).toBe('approved');
		expect((await t.journal.getOrder(order.id))?.status).toBe('paid');
	});

	it('"charged" with a reference the terminal confirms counts the order as paid', async () => {
		t = testJournal();
		class LookingUp extends FakeTerminal {
			async queryByReference(reference: string) {
				return reference === 'T-77'
					? { status: 'approved' as const, amount: 1200, maskedCard: '****1111' }
					: { status: 'unknown' as const, finding: 'not_found' as const };
			}
		}
		const { order, attempt, terminal } = await stuckSale(new LookingUp());
		terminal.onQuery = async () => ({
			status: 'unknown',
			exhausted: true,
			message: 'The terminal cannot tell'
		});
		await reconcileAttempt(t.journal, terminal, attempt);
		const input = { verdict: 'charged' as const, reason: 'Slip in the drawer' };
		await expect(
			resolveAttempt(t.journal, terminal, attempt.id, { ...input, reference: 'T-00' }, approval)
		).rejects.toThrow(/does not confirm/);
		const resolved = await resolveAttempt(
			t.journal,
			terminal,
			attempt.id,
			{ ...input, reference: 'T-77' },
			approval
		);
		expect(resolved.state).toBe('approved');
		expect(resolved.resolution).toMatchObject({
			verdict: 'charged',
			reference: 'T-77',
			verified: true
		});
		const updated = await t.journal.getOrder(order.id);
		expect(updated).toMatchObject({ status: 'paid', paid: 1200 });
		const [tender] = await t.journal.tendersForOrder(order.id);
		expect(tender).toMatchObject({ kind: 'card', amount: 1200, reference: 'T-77' });
	});
});
