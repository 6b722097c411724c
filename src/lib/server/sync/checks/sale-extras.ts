/**
 * A sale's extras (cashback, fuel lines) as sync believes them: on an attempt, only what the
 * journal could have recorded (`$lib/journal/sale-extras.ts`, the same rules); on a card tender,
 * exactly the cashback its attempt approved, and, when the terminal's answer states what the card
 * was charged, goods + tip + cashback adding up to it. The cashback is never part of the order's
 * `paid` (`order-figures.ts` counts tender amounts only). Pure.
 */
import { cashbackPaidOut, saleExtrasProblem } from '$lib/journal/sale-extras';
import type { PaymentAttempt, Tender } from '$lib/journal/types';
import { isRailId, railOf } from '$lib/terminals/registry';
import { refuse, type Refusal } from './refusal';

/**
 * Cashback on a rail whose terminals hand out none (`saleExtras` in the rail registry) is cash the
 * till says it gave that no terminal charged for.
 */
function railGivesCashback(rail: string): boolean {
	return isRailId(rail) && railOf(rail).saleExtras?.cashback === true;
}

export function checkAttemptExtras(attempt: PaymentAttempt): Refusal | null {
	const problem = saleExtrasProblem(attempt);
	if (problem) return refuse('figures', `has extras the journal refuses: ${problem}`);
	if ((attempt.cashback ?? 0) > 0 && !railGivesCashback(attempt.rail)) {
		return refuse('figures', `hands out cashback on a ${attempt.rail} terminal, which gives none`);
	}
	return null;
}

/** `attempt` is the approved charge of `tender` (checked first by `checkCardTender`). */
export function checkTenderCashback(tender: Tender, attempt: PaymentAttempt): Refusal | null {
	const cashback = tender.cashback ?? 0;
	const approved = cashbackPaidOut(attempt);
	if (cashback !== approved) {
		return refuse(
			'attempt_mismatch',
			`hands out ${cashback} cashback; attempt ${attempt.id} approved ${approved}`
		);
	}
	const charged = attempt.outcome?.amount;
	if (cashback > 0 && charged !== undefined) {
		// The tip of the sale itself: a tip adjusted later changes the tender, not the charge.
		const tip = attempt.outcome?.tip ?? attempt.tip;
		if (tender.amount + tip + cashback !== charged) {
			return refuse(
				'figures',
				`takes ${tender.amount} + ${tip} tip + ${cashback} cashback; the terminal charged ${charged}`
			);
		}
	}
	return null;
}
