/**
 * Identifiers. `crypto.randomUUID` exists only in secure contexts, and a till on the shop's LAN may
 * be served over plain http, so ids are built from `crypto.getRandomValues`, which exists in both.
 */

function randomBytes(n: number): Uint8Array {
	return crypto.getRandomValues(new Uint8Array(n));
}

/** In code-unit order, so that fixed-width base-62 strings sort as the numbers they write. */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TIME_LEN = 8;
const RANDOM_LEN = 10;
/** 62^8 ms: until the year 8888. */
const TIME_MAX = 62 ** TIME_LEN;

function base62Time(now: number): string {
	if (!Number.isSafeInteger(now) || now < 0 || now >= TIME_MAX) {
		throw new RangeError(`An id cannot carry the time ${now}.`);
	}
	let out = '';
	for (let rest = now, i = 0; i < TIME_LEN; i++, rest = Math.floor(rest / 62)) {
		out = BASE62[rest % 62]! + out;
	}
	return out;
}

function base62Random(length: number): string {
	let out = '';
	while (out.length < length) {
		for (const x of randomBytes(length * 2)) {
			// 248 = 4 x 62: bytes above it are dropped, so every character is equally likely.
			if (x < 248 && out.length < length) out += BASE62[x % 62];
		}
	}
	return out;
}

/**
 * A record id: 18 characters, the creation time in base 62 (8) and 10 random base-62 characters
 * (59 bits), so that ids from every till stay unique. They are half the length of a UUID, which
 * matters because IndexedDB repeats the primary key in every index entry, and they sort by time,
 * so a journal's new records land at the end of its key range instead of all over it. Records
 * written before this format keep their UUIDs; nothing reads meaning into an id.
 */
export function newId(now: number = Date.now()): string {
	return base62Time(now) + base62Random(RANDOM_LEN);
}

/** Terminals accept at most 32 characters from this set for the merchant's order number. */
const MERCHANT_ORDER_NO = /^[A-Za-z0-9_\-|*@]{1,32}$/;
const PREFIX_MAX = 10;
const ORDER_NO_RANDOM_LEN = 10;

export function isValidMerchantOrderNo(value: string): boolean {
	return MERCHANT_ORDER_NO.test(value);
}

/**
 * A merchant order number unique per attempt: the device prefix (cleaned, at most 10 characters),
 * the time in base 36 (9 characters until the year 5188) and 10 random base-36 characters.
 */
export function newMerchantOrderNo(prefix: string, now: number = Date.now()): string {
	const clean = prefix.replace(/[^A-Za-z0-9]/g, '').slice(0, PREFIX_MAX);
	const random = Array.from(randomBytes(ORDER_NO_RANDOM_LEN), (x) => (x % 36).toString(36)).join(
		''
	);
	return `${clean}${now.toString(36)}${random}`.slice(0, 32);
}
