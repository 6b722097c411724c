/**
 * A sale's extras: cashback (cash handed to the customer, charged to the card on top of the sale)
 * and fuel lines. The rules live here once, for the journal that records them and for the server
 * that checks what a till uploads (`server/sync/checks/sale-extras.ts`). Pure.
 */
import type { AttemptKind, FuelLine, PaymentAttempt } from './types';

export interface SaleExtrasFigures {
	kind: AttemptKind;
	amount: number;
	cashback?: number;
	fuelLines?: readonly FuelLine[];
}

/** Why these extras cannot go with this attempt, or `undefined` when they can. */
export function saleExtrasProblem(attempt: SaleExtrasFigures): string | undefined {
	const cashback = attempt.cashback ?? 0;
	const lines = attempt.fuelLines ?? [];
	if (!Number.isSafeInteger(cashback) || cashback < 0) {
		return 'The cashback must be a whole number of minor units.';
	}
	// Cashback and fuel go with a plain sale only: a hold's completion charges what was held.
	if ((cashback > 0 || lines.length > 0) && attempt.kind !== 'sale') {
		return `A ${attempt.kind} cannot carry cashback or fuel lines.`;
	}
	if (cashback > 0 && lines.length > 0) return 'A fuel sale cannot give cashback.';
	if (lines.length > 0) {
		const total = lines.reduce((sum, line) => sum + line.amount, 0);
		if (total !== attempt.amount) {
			return `The fuel lines add up to ${total}, not the ${attempt.amount} charged.`;
		}
	}
	return undefined;
}

/**
 * The cash handed to the customer with an approved sale: what the terminal approved when its
 * answer says (it decides what the customer got), else what was asked. Both stay on the attempt.
 */
export function cashbackPaidOut(attempt: Pick<PaymentAttempt, 'cashback' | 'outcome'>): number {
	return attempt.outcome?.cashback ?? attempt.cashback ?? 0;
}
