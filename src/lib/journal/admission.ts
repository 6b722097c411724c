/**
 * The journal's admission rules: whether a payment attempt may start, given the order, its other
 * attempts and tenders. Pure, so they are tested without IndexedDB (`admission.spec.ts`); the
 * journal runs them inside the transaction that writes the attempt (rule 1, rule 3: see `index.ts`).
 */
import { AttemptInProgressError, JournalError } from './errors';
import { isCharge, openHolds } from './holds';
import { remainingDue } from './order-status';
import { saleExtrasProblem } from './sale-extras';
import type { AttemptKind, AttemptState, FuelLine, Order, PaymentAttempt, Tender } from './types';

/** What an attempt asks for, as far as the rules are concerned. */
export interface AttemptRequest {
	kind: AttemptKind;
	amount: number;
	tip?: number;
	currency: string;
	origAttemptId?: string;
	cashback?: number;
	fuelLines?: FuelLine[];
}

/** States in which an attempt may have reached, or may yet reach, the terminal. */
const IN_PROGRESS: readonly AttemptState[] = ['created', 'sent', 'unknown'];
const SOLD: readonly Order['status'][] = ['paid', 'partially_refunded', 'refunded'];

/** Sent to a terminal with no final answer yet: nothing else may be charged to its order. */
export function isPending(attempt: Pick<PaymentAttempt, 'state'>): boolean {
	return attempt.state === 'sent' || attempt.state === 'unknown';
}

/** What can still be refunded on a card tender: goods and tip, less what was refunded. */
export function refundableOn(tender: Pick<Tender, 'amount' | 'tip' | 'refundedAmount'>): number {
	return Math.max(0, tender.amount + tender.tip - tender.refundedAmount);
}

export function requireMoney(value: number, what: string, allowZero = false): void {
	if (!Number.isSafeInteger(value) || value < 0 || (!allowZero && value === 0)) {
		throw new JournalError(
			'invalid_amount',
			`${what} must be a whole number of minor units${allowZero ? '' : ' above zero'}.`
		);
	}
}

/** The checks an attempt passes before the journal is even opened. */
export function checkAttemptRequest(input: AttemptRequest): void {
	const tip = input.tip ?? 0;
	requireMoney(input.amount, 'The amount');
	requireMoney(tip, 'The tip', true);
	if (input.kind !== 'sale' && tip !== 0) {
		throw new JournalError('invalid_amount', `A ${input.kind} has no separate tip.`);
	}
	if (input.kind !== 'sale' && input.kind !== 'preauth' && !input.origAttemptId) {
		throw new JournalError('invalid', `A ${input.kind} needs the card payment it applies to.`);
	}
	const extrasProblem = saleExtrasProblem({ ...input, cashback: input.cashback || undefined });
	if (extrasProblem) throw new JournalError('invalid_amount', extrasProblem);
}

/**
 * Rule 3 and the money rules, over the order's other attempts (and, for a refund or void, its
 * tenders): throws the `JournalError` a cashier reads, or returns when the attempt may start.
 */
export function admitAttempt(
	order: Order,
	attempts: readonly PaymentAttempt[],
	tenders: readonly Tender[],
	input: AttemptRequest
): void {
	refuseIfInProgress(attempts);
	if (input.currency !== order.currency) {
		throw new JournalError('invalid', `Order ${order.number} is in ${order.currency}.`);
	}
	if (input.kind === 'sale') {
		checkCharge(order, input.amount);
	} else if (input.kind === 'preauth') {
		checkCharge(order, 0);
		if (openHolds(attempts).length > 0) {
			throw new JournalError(
				'invalid',
				`Order ${order.number} already has a card hold. Complete or release it first.`
			);
		}
	} else if (input.kind === 'preauth_completion' || input.kind === 'preauth_cancel') {
		checkHoldClose(order, openHolds(attempts), input);
	} else {
		const orig = attempts.find((a) => a.id === input.origAttemptId);
		checkReversal(order, saleTender(order, orig, tenders), input);
	}
}

/** A sale (or hold completion) of `amount` fits the order; 0 checks only that it is open. */
export function checkCharge(order: Order, amount: number): void {
	if (order.status !== 'open') {
		throw new JournalError('order_not_open', `Order ${order.number} is ${order.status}.`);
	}
	if (amount > remainingDue(order)) {
		throw new JournalError(
			'invalid_amount',
			`The amount is more than the ${remainingDue(order)} still due on order ${order.number}.`
		);
	}
}

/** A completion charges at most the hold; a cancel releases all of it. */
export function checkHoldClose(
	order: Order,
	holds: readonly PaymentAttempt[],
	input: AttemptRequest
): void {
	const hold = holds.find((a) => a.id === input.origAttemptId);
	if (!hold) {
		throw new JournalError(
			'invalid',
			'Only an open card hold of this order can be completed or released.'
		);
	}
	if (input.kind === 'preauth_cancel') {
		if (input.amount !== hold.amount) {
			throw new JournalError('invalid_amount', 'Releasing a hold releases all of it.');
		}
		return;
	}
	checkCharge(order, input.amount);
	if (input.amount > hold.amount) {
		throw new JournalError(
			'invalid_amount',
			`The card hold is ${hold.amount}: a completion cannot charge more.`
		);
	}
}

/** Rule 3, over the attempts of one order. */
export function refuseIfInProgress(attempts: readonly PaymentAttempt[]): void {
	const blocking = attempts.find((a) => IN_PROGRESS.includes(a.state));
	if (blocking) throw new AttemptInProgressError(blocking);
}

/** The tender of `orig`, an approved card payment of `order` (a refund or void applies to it). */
export function saleTender(
	order: Order,
	orig: PaymentAttempt | undefined,
	tenders: readonly Tender[]
): Tender {
	if (!orig || orig.orderId !== order.id || !isCharge(orig.kind) || orig.state !== 'approved') {
		throw new JournalError(
			'not_refundable',
			'Only an approved card payment of this order can be reversed.'
		);
	}
	const tender = tenders.find((x) => x.attemptId === orig.id);
	if (!tender) throw new JournalError('not_found', 'The card payment has no tender.');
	return tender;
}

/**
 * A refund returns at most what is left of the payment; a void reverses all of it. Cashback is not
 * refundable: it was cash in the customer's hand, not goods, and a refund credits the card only the
 * amount asked; so a refund of a cashback sale refunds goods and tip, and the cashback stays paid
 * out (voiding the sale is how it is taken back).
 */
export function checkReversal(order: Order, tender: Tender, input: AttemptRequest): void {
	if (input.kind === 'refund') {
		const refundable = refundableOn(tender);
		if (!SOLD.includes(order.status) || tender.status === 'voided') {
			throw new JournalError('not_refundable', `Order ${order.number} is ${order.status}.`);
		}
		if (input.amount > refundable) {
			throw new JournalError(
				'invalid_amount',
				`At most ${refundable} can still be refunded on this card payment.`
			);
		}
	} else {
		if (tender.status !== 'completed' || tender.refundedAmount > 0) {
			throw new JournalError(
				'not_refundable',
				'A refunded or voided card payment cannot be voided.'
			);
		}
		if (order.status !== 'open' && order.status !== 'paid') {
			throw new JournalError('not_refundable', `Order ${order.number} is ${order.status}.`);
		}
		if (input.amount !== tender.amount + tender.tip) {
			throw new JournalError('invalid_amount', 'A void reverses the whole card payment.');
		}
	}
}
