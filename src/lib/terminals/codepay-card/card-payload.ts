/**
 * The plaintext of `pay.merchant.checkout`'s `card` before encryption (NOTES.md §2): the JSON text
 * `{card_type, pan, expiry "MMYY", cvv, holder}`. `card_type` is the spec's CardType integer
 * (1 debit, 2 credit; NOTES.md §1); a typed card is sent as the cashier chose.
 */
import type { CheckedCard } from './card-checks';

export const CARD_TYPE = { debit: 1, credit: 2 } as const;
export type CardKind = keyof typeof CARD_TYPE;

export function cardPlaintext(card: CheckedCard, kind: CardKind): string {
	return JSON.stringify({
		card_type: CARD_TYPE[kind],
		pan: card.pan,
		expiry: card.expiry,
		cvv: card.cvv,
		holder: card.holder
	});
}
