/**
 * IOT Pay's MD5 signature (NOTES.md §4): drop `sign` and empty values, sort the keys ascending
 * (case-sensitive, by code unit), join `k=v` with `&`, append `&key=<merchant key>`, MD5, uppercase
 * hex. Pure apart from the hash.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** What a signed field may hold: strings as sent; anything else is signed as its wire text. */
export type SignedFields = Record<string, unknown>;

/** The text of a value as it is sent and signed; `null` for a value that is left out. */
export function fieldText(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string') return value === '' ? null : value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	// A nested object (a response's `payOrder`) is signed as its JSON text (an assumption: the
	// vendor page does not say; see NOTES.md §4).
	return JSON.stringify(value);
}

/** The string the MD5 is taken of, key included. */
export function stringToSign(fields: SignedFields, key: string): string {
	const pairs = Object.keys(fields)
		.filter((name) => name !== 'sign')
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
		.flatMap((name) => {
			const text = fieldText(fields[name]);
			return text === null ? [] : [`${name}=${text}`];
		});
	return `${pairs.join('&')}&key=${key}`;
}

export function sign(fields: SignedFields, key: string): string {
	return createHash('md5').update(stringToSign(fields, key), 'utf8').digest('hex').toUpperCase();
}

/** Whether `fields.sign` is the signature of the other fields under `key` (case-insensitive hex). */
export function verifySign(fields: SignedFields, key: string): boolean {
	const given = fields.sign;
	if (typeof given !== 'string' || !/^[0-9A-Fa-f]{32}$/.test(given)) return false;
	const expected = Buffer.from(sign(fields, key), 'ascii');
	return timingSafeEqual(expected, Buffer.from(given.toUpperCase(), 'ascii'));
}
