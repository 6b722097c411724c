/**
 * The opaque reference a hosted order's `return_url` carries: 32 random bytes, base64url, that
 * name nothing (not the order number, not a sequence). The store keeps only its SHA-256, so
 * that what a return shows is found by whoever holds the reference, and by nobody who guesses.
 */
import { createHash, randomBytes } from 'node:crypto';

const REF = /^[A-Za-z0-9_-]{43}$/;

export function hashReturnRef(ref: string): string {
	return createHash('sha256').update(ref, 'utf8').digest('hex');
}

export function newReturnRef(): { ref: string; hash: string } {
	const ref = randomBytes(32).toString('base64url');
	return { ref, hash: hashReturnRef(ref) };
}

/** Whether `text` has the shape of a reference (anything else is refused before a lookup). */
export function isReturnRef(text: string): boolean {
	return REF.test(text);
}
