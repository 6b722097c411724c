/**
 * Settlement: the money an approved attempt moves, as the tender records it. Pure; the journal
 * writes the results in the transaction that settles the attempt, with the order's amounts and the
 * day's figures (`journal.ts`).
 */
import { known } from './records';
import { cashbackPaidOut } from './sale-extras';
import type { Outcome } from '../terminals/driver';
import type { Order, PaymentAttempt, Tender } from './types';

/** The card tender of an approved sale or hold completion. */
export function cardTenderFor(
	id: string,
	at: number,
	order: Pick<Order, 'day'>,
	attempt: PaymentAttempt,
	outcome: Outcome
): Tender {
	return known({
		id,
		orderId: attempt.orderId,
		day: order.day,
		kind: 'card' as const,
		// The order is credited what was asked; a tip chosen on the terminal comes from the outcome.
		amount: attempt.amount,
		tip: outcome.tip ?? attempt.tip,
		attemptId: attempt.id,
		status: 'completed' as const,
		refundedAmount: 0,
		createdAt: at,
		updatedAt: at,
		reference: outcome.reference,
		cardBrand: outcome.cardBrand,
		maskedCard: outcome.maskedCard,
		authCode: outcome.authCode,
		// Cash that left the drawer: the terminal's figure when it gives one (it is what the card
		// was charged for); never part of the order's `paid`.
		cashback: cashbackPaidOut({ cashback: attempt.cashback, outcome }) || undefined
	});
}

/** The tender after an approved refund of `amount`: refunded once goods and tip are all back. */
export function refundedTender(tender: Tender, amount: number, at: number): Tender {
	const refundedAmount = tender.refundedAmount + amount;
	return {
		...tender,
		updatedAt: at,
		refundedAmount,
		status: refundedAmount >= tender.amount + tender.tip ? 'refunded' : tender.status
	};
}

/**
 * The tender after an approved void. A void cancels the whole card transaction, cashback included
 * (a terminal voids the original transaction as a whole): the card gets back goods, tip and
 * cashback, so the customer hands the cashback back to the cashier. The voided tender keeps its
 * `cashback` for the record but no longer counts in the day's figures, so the cash expected in the
 * drawer goes back up.
 */
export function voidedTender(tender: Tender, at: number): Tender {
	return { ...tender, status: 'voided', updatedAt: at };
}
