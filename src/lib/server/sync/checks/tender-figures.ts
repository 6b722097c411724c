/**
 * A tender's own figures, and a card tender against the attempt that charged it: what the journal
 * (`journal.ts`) can produce and nothing else. Pure.
 */
import { isCharge } from '$lib/journal/holds';
import type { PaymentAttempt, Tender } from '$lib/journal/types';
import { refuse, type Refusal } from './refusal';
import { checkTenderCashback } from './sale-extras';

export function checkTenderFigures(tender: Tender): Refusal | null {
	const whole = tender.amount + tender.tip;
	const wrong = (message: string) => refuse('figures', message);
	if (tender.refundedAmount > whole) {
		return wrong(`refunds ${tender.refundedAmount}, more than the ${whole} it took`);
	}
	if (tender.status === 'refunded' && tender.refundedAmount < whole) {
		return wrong('is marked refunded but not all of it was refunded');
	}
	if (tender.status === 'voided' && tender.refundedAmount > 0) {
		return wrong('is voided after a refund');
	}
	if (tender.kind === 'cash') {
		if (tender.tip !== 0 || tender.attemptId !== undefined)
			return wrong('is cash with a card tip or attempt');
		// The journal refunds and voids only card payments, each through an approved attempt.
		if (tender.status !== 'completed' || tender.refundedAmount !== 0) {
			return refuse('not_approved', 'is cash marked refunded or voided, which no till can do');
		}
		// Cashback is cash handed out against a card charge: a cash tender has none.
		if (tender.cashback !== undefined) return wrong('is cash with card cashback');
		const { tendered, change } = tender;
		if (tendered !== undefined && change !== undefined && tendered - change !== tender.amount) {
			return wrong(`takes ${tender.amount} from ${tendered} handed over with ${change} change`);
		}
	} else if (tender.attemptId === undefined) {
		return refuse('attempt_unknown', 'is a card payment without the attempt that charged it');
	}
	return null;
}

/** A card tender is the money of one approved charge of its order, for that charge's amount. */
export function checkCardTender(tender: Tender, attempt: PaymentAttempt): Refusal | null {
	if (
		attempt.orderId !== tender.orderId ||
		!isCharge(attempt.kind) ||
		attempt.state !== 'approved' ||
		attempt.amount !== tender.amount
	) {
		return refuse(
			'attempt_mismatch',
			`is not the money of attempt ${attempt.id} (${attempt.kind} of ${attempt.amount}, ${attempt.state})`
		);
	}
	return checkTenderCashback(tender, attempt);
}

/**
 * A card tender's refunds and void are what the approved refund and void attempts of its sale did,
 * nothing more: a till cannot mark money as given back without the attempts (and their manager's
 * approvals) that gave it back. `attempts` are all the attempts the server will hold for the order.
 */
export function checkTenderReversals(
	tender: Tender,
	attempts: readonly PaymentAttempt[]
): Refusal | null {
	const of = (kind: PaymentAttempt['kind']) =>
		attempts.filter(
			(a) => a.kind === kind && a.state === 'approved' && a.origAttemptId === tender.attemptId
		);
	const refunded = of('refund').reduce((sum, a) => sum + a.amount, 0);
	if (tender.refundedAmount !== refunded) {
		return refuse(
			'not_approved',
			`shows ${tender.refundedAmount} refunded, but its approved refunds come to ${refunded}`
		);
	}
	if (tender.status === 'voided' && of('void').length === 0) {
		return refuse('not_approved', 'is voided without an approved void of its payment');
	}
	return null;
}
