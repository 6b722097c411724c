/**
 * What the gateway would refuse in a typed card, checked before anything is encrypted or sent:
 * the number (digits, a known brand, a length of that brand, the Luhn digit), the expiry (a real
 * month, not past, not absurdly far), the security code (the brand's length) and the holder.
 * Pure: `now` is given.
 */
import { detectBrand, type CardBrand } from './card-brand';
import { luhnValid } from './luhn';

export interface TypedCard {
	/** As typed: spaces and dashes are allowed between digits. */
	number: string;
	/** `MM/YY`, `MMYY` or `MM/YYYY`. */
	expiry: string;
	cvv: string;
	holder: string;
}

export interface CardProblems {
	number?: string;
	expiry?: string;
	cvv?: string;
	holder?: string;
}

export interface CheckedCard {
	pan: string;
	/** `MMYY` (NOTES.md §2). */
	expiry: string;
	cvv: string;
	holder: string;
	brand: CardBrand;
}

/** Cards are issued for at most about 20 years: a later expiry is a typing slip. */
const MAX_YEARS_AHEAD = 20;
/** The spec gives no length; 64 covers embossed names (26) with room for typed ones. */
const MAX_HOLDER = 64;

export function panDigits(number: string): string | null {
	const compact = number.replace(/[\s-]/g, '');
	return /^\d*$/.test(compact) ? compact : null;
}

function checkNumber(number: string): { pan: string; brand: CardBrand } | string {
	const pan = panDigits(number);
	if (pan === null) return 'The card number has characters other than digits.';
	if (pan === '') return 'Enter the card number.';
	const brand = detectBrand(pan);
	if (!brand) return 'This card number is not a brand the gateway takes.';
	if (!brand.lengths.includes(pan.length)) {
		return `A ${brand.label} number has ${brand.lengths.join(' or ')} digits.`;
	}
	if (!luhnValid(pan)) return 'The card number is mistyped (its check digit does not match).';
	return { pan, brand };
}

/** `MMYY` of a typed expiry, or why it is refused. */
export function checkExpiry(text: string, now: Date): { expiry: string } | string {
	const match = /^\s*(\d{2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text);
	if (!match) return 'Enter the expiry as MM/YY.';
	const month = Number(match[1]);
	const yearText = match[2] ?? '';
	const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
	if (month < 1 || month > 12) return 'The expiry month is 01 to 12.';
	const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
	const expiryMonth = year * 12 + (month - 1);
	// A card is good to the end of its expiry month.
	if (expiryMonth < thisMonth) return 'This card has expired.';
	if (expiryMonth > thisMonth + MAX_YEARS_AHEAD * 12) return 'The expiry year is too far ahead.';
	return { expiry: `${match[1]}${String(year % 100).padStart(2, '0')}` };
}

export function checkCard(card: TypedCard, now: Date): CheckedCard | CardProblems {
	const problems: CardProblems = {};
	const number = checkNumber(card.number);
	if (typeof number === 'string') problems.number = number;
	const expiry = checkExpiry(card.expiry, now);
	if (typeof expiry === 'string') problems.expiry = expiry;
	const cvvLength = typeof number === 'string' ? null : number.brand.cvvLength;
	if (!/^\d+$/.test(card.cvv)) problems.cvv = 'Enter the security code (digits only).';
	else if (cvvLength !== null && card.cvv.length !== cvvLength) {
		problems.cvv = `The security code of this card has ${cvvLength} digits.`;
	}
	const holder = card.holder.trim().replace(/\s+/g, ' ');
	if (holder === '') problems.holder = 'Enter the name on the card.';
	else if (holder.length > MAX_HOLDER) problems.holder = `At most ${MAX_HOLDER} characters.`;
	else if (/[\p{C}]/u.test(holder)) problems.holder = 'The name has characters a card cannot.';
	if (
		Object.keys(problems).length > 0 ||
		typeof number === 'string' ||
		typeof expiry === 'string'
	) {
		return problems;
	}
	return { pan: number.pan, expiry: expiry.expiry, cvv: card.cvv, holder, brand: number.brand };
}

export function isChecked(result: CheckedCard | CardProblems): result is CheckedCard {
	return 'pan' in result;
}
