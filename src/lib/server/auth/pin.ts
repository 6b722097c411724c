/**
 * Staff PIN hashing. A PIN has little entropy, so the hash must be slow (scrypt) and salted per
 * PIN; the stored form is `scrypt$N$salt$hash` with salt and hash in base64url.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { decodeBase64url } from './base64url';

const DEFAULT_N = 16384;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export const PIN_HASH_PATTERN = /^scrypt\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function derive(pin: string, salt: Buffer, n: number, length: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		// maxmem must cover 128 * N * r; the default (32 MiB) is just enough for N = 16384.
		const maxmem = 256 * n * BLOCK_SIZE;
		scrypt(pin, salt, length, { N: n, r: BLOCK_SIZE, p: PARALLELISM, maxmem }, (error, key) =>
			error ? reject(error) : resolve(key)
		);
	});
}

function isPowerOfTwo(n: number): boolean {
	return Number.isSafeInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

/** Hashes a PIN for the config file's `pinHash`. */
export async function hashPin(pin: string, n: number = DEFAULT_N): Promise<string> {
	if (!isPowerOfTwo(n)) throw new RangeError('scrypt N must be a power of two');
	const salt = randomBytes(SALT_LENGTH);
	const hash = await derive(pin, salt, n, KEY_LENGTH);
	return `scrypt$${n}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** True when `pin` matches `stored`; false for a wrong PIN or a malformed hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
	const match = PIN_HASH_PATTERN.exec(stored);
	if (!match) return false;
	const n = Number(match[1]);
	// A hash from the config file must not make the server allocate gigabytes.
	if (!isPowerOfTwo(n) || n > 1 << 20) return false;
	const salt = decodeBase64url(match[2] ?? '');
	const expected = decodeBase64url(match[3] ?? '');
	if (!salt || !expected || expected.length < 16) return false;
	const actual = await derive(pin, salt, n, expected.length);
	return timingSafeEqual(actual, expected);
}
