/**
 * Card brands by their issuer number ranges (IIN/BIN prefixes as the networks publish them), with
 * the lengths a number of the brand may have and the length of its security code. A number the
 * table does not know has no brand and is refused by the form: the gateway would refuse it too.
 */
export interface CardBrand {
	/** The gateway's `pay_method_id` spelling (NOTES.md §1). */
	id: 'Visa' | 'MasterCard' | 'Amex' | 'Discover' | 'JCB' | 'UnionPay' | 'Diners';
	label: string;
	lengths: readonly number[];
	cvvLength: number;
	/** Inclusive prefix ranges, compared on as many digits as each bound has. */
	ranges: readonly (readonly [number, number])[];
}

export const BRANDS: readonly CardBrand[] = [
	{
		id: 'Amex',
		label: 'American Express',
		lengths: [15],
		cvvLength: 4,
		ranges: [
			[34, 34],
			[37, 37]
		]
	},
	{
		id: 'Diners',
		label: 'Diners Club',
		lengths: [14, 15, 16, 17, 18, 19],
		cvvLength: 3,
		ranges: [
			[300, 305],
			[3095, 3095],
			[36, 36],
			[38, 39]
		]
	},
	{
		id: 'JCB',
		label: 'JCB',
		lengths: [16, 17, 18, 19],
		cvvLength: 3,
		ranges: [[3528, 3589]]
	},
	{
		id: 'Discover',
		label: 'Discover',
		lengths: [16, 17, 18, 19],
		cvvLength: 3,
		ranges: [
			[6011, 6011],
			[644, 649],
			[65, 65]
		]
	},
	{
		id: 'UnionPay',
		label: 'UnionPay',
		lengths: [16, 17, 18, 19],
		cvvLength: 3,
		ranges: [
			[62, 62],
			[81, 81]
		]
	},
	{
		id: 'MasterCard',
		label: 'Mastercard',
		lengths: [16],
		cvvLength: 3,
		ranges: [
			[51, 55],
			[2221, 2720]
		]
	},
	{ id: 'Visa', label: 'Visa', lengths: [13, 16, 19], cvvLength: 3, ranges: [[4, 4]] }
];

function inRange(digits: string, [low, high]: readonly [number, number]): boolean {
	const width = String(low).length;
	if (digits.length < width) return false;
	const prefix = Number(digits.slice(0, width));
	return prefix >= low && prefix <= high;
}

/** The brand of a (partly typed) card number, or null while no range matches. */
export function detectBrand(digits: string): CardBrand | null {
	if (!/^\d+$/.test(digits)) return null;
	return BRANDS.find((brand) => brand.ranges.some((range) => inRange(digits, range))) ?? null;
}
