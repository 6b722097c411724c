/**
 * Identifiers. `crypto.randomUUID` exists only in secure contexts, and a till on the shop's LAN may
 * be served over plain http, so ids are built from `crypto.getRandomValues`, which exists in both.
 */

function randomBytes(n: number): Uint8Array {
	return crypto.getRandomValues(new Uint8Array(n));
}

/** A random RFC 9562 version 4 UUID. */
export function newId(): string {
	const b = randomBytes(16);
	b[6] = (b[6]! & 0x0f) | 0x40;
	b[8] = (b[8]! & 0x3f) | 0x80;
	const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Terminals accept at most 32 characters from this set for the merchant's order number. */
const MERCHANT_ORDER_NO = /^[A-Za-z0-9_\-|*@]{1,32}$/;
const PREFIX_MAX = 10;
const RANDOM_LEN = 10;

export function isValidMerchantOrderNo(value: string): boolean {
	return MERCHANT_ORDER_NO.test(value);
}

/**
 * A merchant order number unique per attempt: the device prefix (cleaned, at most 10 characters),
 * the time in base 36 (9 characters until the year 5188) and 10 random base-36 characters.
 */
export function newMerchantOrderNo(prefix: string, now: number = Date.now()): string {
	const clean = prefix.replace(/[^A-Za-z0-9]/g, '').slice(0, PREFIX_MAX);
	const random = Array.from(randomBytes(RANDOM_LEN), (x) => (x % 36).toString(36)).join('');
	return `${clean}${now.toString(36)}${random}`.slice(0, 32);
}
