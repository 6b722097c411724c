/**
 * Minor units ⇄ the decimal strings CodePay puts on the wire (`"34.50"`, NOTES.md §1): a thin,
 * non-throwing-on-read adapter over `$lib/money` for the codec.
 */
import { parseDecimal, toDecimalString } from '$lib/money';

/** `3450, 'USD'` → `"34.50"`; `500, 'JPY'` → `"500"`. Throws on a non-integer or negative amount. */
export function toWireAmount(minor: number, currency: string): string {
	if (!Number.isSafeInteger(minor) || minor < 0) {
		throw new RangeError(`Amount must be a non-negative whole number of minor units, got ${minor}`);
	}
	return toDecimalString(minor, currency);
}

/**
 * `"34.5", 'USD'` → `3450`. `undefined` for anything that is not a plain non-negative decimal in
 * this currency ("34.505" USD, "-1", unknown currency), so a malformed amount is never rounded
 * into a plausible one. Zeros past the minor unit ("34.500") are tolerated: some firmware pads.
 */
export function fromWireAmount(text: string, currency: string): number | undefined {
	const trimmed = text
		.trim()
		.replace(/(\.\d*?)0+$/, '$1')
		.replace(/\.$/, '');
	if (trimmed.startsWith('-')) return undefined;
	try {
		return parseDecimal(trimmed, currency);
	} catch {
		return undefined;
	}
}
