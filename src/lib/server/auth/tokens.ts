/** Random bearer tokens and the digests the store keeps instead of them. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A device token: 32 random bytes, base64url. Shown once, at pairing. */
export function newDeviceToken(): string {
	return randomBytes(32).toString('base64url');
}

/** What the store keeps of a token: its SHA-256, hex. A leaked table does not let anyone in. */
export function hashToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Compares two secrets in constant time. Both sides are hashed first so that neither the content
 * nor the length of the expected value leaks through timing.
 */
export function secretsEqual(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}
