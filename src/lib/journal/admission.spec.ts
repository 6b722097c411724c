import { describe, expect, it } from 'vitest';
import { admitAttempt, checkAttemptRequest, isPending, refundableOn } from './admission';
import { AttemptInProgressError, JournalError } from './errors';
import type { Order, PaymentAttempt, Tender } from './types';

const order = (over: Partial<Order> = {}): Order =>
	({
		id: 'o1',
		number: 'A1-0001',
		currency: 'USD',
		status: 'open',
		total: 1000,
		paid: 0,
		tip: 0,
		refunded: 0,
		...over
	}) as Order;

const attempt = (over: Partial<PaymentAttempt>): PaymentAttempt =>
	({
		id: 'a1',
		orderId: 'o1',
		kind: 'sale',
		state: 'approved',
		amount: 1000,
		tip: 0,
		currency: 'USD',
		...over
	}) as PaymentAttempt;

const tender = (over: Partial<Tender> = {}): Tender =>
	({
		id: 't1',
		orderId: 'o1',
		kind: 'card',
		attemptId: 'a1',
		amount: 1000,
		tip: 100,
		refundedAmount: 0,
		status: 'completed',
		...over
	}) as Tender;

const sale = { kind: 'sale' as const, amount: 400, currency: 'USD' };

describe('admission rules (pure)', () => {
	it('rule 3: one attempt in flight per order, created ones included', () => {
		for (const state of ['created', 'sent', 'unknown'] as const) {
			expect(() => admitAttempt(order(), [attempt({ state })], [], sale)).toThrow(
				AttemptInProgressError
			);
		}
		expect(() => admitAttempt(order(), [attempt({ state: 'declined' })], [], sale)).not.toThrow();
	});

	it('charges no more than is due, in the order’s currency, on an open order', () => {
		expect(() => admitAttempt(order({ paid: 700 }), [], [], sale)).toThrow(/more than the 300/);
		expect(() => admitAttempt(order(), [], [], { ...sale, currency: 'EUR' })).toThrow(/in USD/);
		expect(() => admitAttempt(order({ status: 'paid' }), [], [], sale)).toThrow(JournalError);
	});

	it('refunds at most what is left of the card payment, goods and tip', () => {
		const paid = order({ status: 'paid', paid: 1000 });
		const refund = { kind: 'refund' as const, currency: 'USD', origAttemptId: 'a1' };
		const left = tender({ refundedAmount: 300 });
		expect(refundableOn(left)).toBe(800);
		expect(() =>
			admitAttempt(paid, [attempt({})], [left], { ...refund, amount: 800 })
		).not.toThrow();
		expect(() => admitAttempt(paid, [attempt({})], [left], { ...refund, amount: 801 })).toThrow(
			/At most 800/
		);
	});

	it('a void reverses the whole payment, only once and never after a refund', () => {
		const paid = order({ status: 'paid', paid: 1000 });
		const voiding = { kind: 'void' as const, currency: 'USD', origAttemptId: 'a1' };
		expect(() =>
			admitAttempt(paid, [attempt({})], [tender()], { ...voiding, amount: 1100 })
		).not.toThrow();
		expect(() =>
			admitAttempt(paid, [attempt({})], [tender()], { ...voiding, amount: 1000 })
		).toThrow(/whole card payment/);
		expect(() =>
			admitAttempt(paid, [attempt({})], [tender({ refundedAmount: 1 })], {
				...voiding,
				amount: 1100
			})
		).toThrow(/cannot be voided/);
	});

	it('refuses amounts that are not whole minor units before anything is opened', () => {
		expect(() => checkAttemptRequest({ ...sale, amount: 1.5 })).toThrow(/whole number/);
		expect(() => checkAttemptRequest({ ...sale, amount: 0 })).toThrow(/above zero/);
		expect(() => checkAttemptRequest({ kind: 'refund', amount: 1, currency: 'USD' })).toThrow(
			/needs the card payment/
		);
		expect(() =>
			checkAttemptRequest({
				kind: 'refund',
				amount: 1,
				tip: 1,
				currency: 'USD',
				origAttemptId: 'a1'
			})
		).toThrow(/no separate tip/);
	});

	it('calls sent and unknown attempts pending, nothing else', () => {
		expect(['sent', 'unknown'].every((state) => isPending({ state: state as 'sent' }))).toBe(true);
		for (const state of ['created', 'approved', 'declined', 'cancelled'] as const) {
			expect(isPending({ state })).toBe(false);
		}
	});
});
