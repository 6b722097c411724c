/**
 * Strict base64url. `Buffer.from(x, 'base64url')` also takes padding, `+` and `/`, stray
 * characters and non-zero trailing bits, so many strings decode to one value: a signature or token
 * would then have several accepted spellings. Only the canonical one is taken here.
 */
const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** The bytes of `text`, or null unless it is exactly what encoding them gives back. */
export function decodeBase64url(text: string): Buffer | null {
	if (!ALPHABET.test(text)) return null;
	const bytes = Buffer.from(text, 'base64url');
	return bytes.toString('base64url') === text ? bytes : null;
}
