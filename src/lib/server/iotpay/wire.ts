/**
 * The body of an IOT Pay request (NOTES.md §4): the signed object as one form field
 * `params=<json>` (the public docs, the default) or as separate form fields (the vendor page
 * beside NOTES.md), both `application/x-www-form-urlencoded`. Every value is sent as a string.
 */
import { sign } from './sign';

export type WireForm = 'params' | 'fields';

/** Fields as strings, empty ones dropped, plus `sign`. */
export function signedFields(fields: Record<string, string>, key: string): Record<string, string> {
	const kept = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
	return { ...kept, sign: sign(kept, key) };
}

export function encodeBody(fields: Record<string, string>, key: string, form: WireForm): string {
	const signed = signedFields(fields, key);
	if (form === 'params') return new URLSearchParams({ params: JSON.stringify(signed) }).toString();
	return new URLSearchParams(signed).toString();
}

/** Cents as the gateway wants them: an integer's decimal text (`2865` for $28.65). */
export function wireAmount(minor: number): string {
	if (!Number.isSafeInteger(minor) || minor < 0) {
		throw new RangeError(`An IOT Pay amount is a whole, non-negative number of cents: ${minor}`);
	}
	return String(minor);
}
