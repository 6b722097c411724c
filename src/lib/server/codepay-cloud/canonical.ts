/**
 * The string CodePay signs (NOTES.md §2): every top-level field except `sign`, without null or
 * empty-string values, keys sorted by byte order, `k=v` joined with `&`, no URL-encoding, no
 * quotes. A nested object travels as a pre-serialised JSON string and that exact string is
 * signed; a number is signed as the exact text sent.
 */

/** What a field may hold on the wire once nested objects have been serialised. */
export type WireValue = string | number | boolean | null | undefined;

/** Byte order of the UTF-8 encodings, which differs from UTF-16 order above U+FFFF. */
export function compareBytes(a: string, b: string): number {
	return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The text a value is signed as: the caller gives numbers as they will be written in JSON. */
export function wireText(value: WireValue): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new RangeError('a signed number must be finite');
		return JSON.stringify(value);
	}
	const text = String(value);
	return text === '' ? null : text;
}

/** Canonical string of already-textual fields (`sign` and empty values left out). */
export function canonicalOfTexts(fields: Readonly<Record<string, string | null>>): string {
	return Object.keys(fields)
		.filter((key) => key !== 'sign' && fields[key] !== null && fields[key] !== '')
		.sort(compareBytes)
		.map((key) => `${key}=${fields[key]}`)
		.join('&');
}

/** Canonical string of the fields a request or notification is made of. */
export function canonicalString(fields: Readonly<Record<string, WireValue>>): string {
	const texts: Record<string, string | null> = {};
	for (const [key, value] of Object.entries(fields)) texts[key] = wireText(value);
	return canonicalOfTexts(texts);
}

/**
 * Turns a request's fields into wire form: nested objects and arrays become their JSON text, so
 * that the string signed is the string sent.
 */
export function toWireFields(fields: Readonly<Record<string, unknown>>): Record<string, WireValue> {
	const out: Record<string, WireValue> = {};
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		out[key] =
			value !== null && typeof value === 'object' ? JSON.stringify(value) : (value as WireValue);
	}
	return out;
}
