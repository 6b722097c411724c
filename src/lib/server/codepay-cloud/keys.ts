/**
 * Loading the two RSA keys of the cloud rail in every form NOTES.md §2 lists: the merchant's
 * private key as PKCS#8 or PKCS#1, the gateway's public key as X.509 SubjectPublicKeyInfo (PKCS#1
 * accepted too), each with or without PEM armour, as base64 DER, with `\n` written literally (as
 * env files often hold them) or real line breaks.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

export class KeyFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'KeyFormatError';
	}
}

/** RSA2 is defined on 2048-bit keys (NOTES.md §2); a smaller one is refused. */
const MIN_MODULUS_BITS = 2048;

function normalise(text: string): string {
	return text.replace(/\\n/g, '\n').replace(/\r/g, '').trim();
}

function bareDer(text: string, what: string): Buffer {
	const base64 = text.replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
		throw new KeyFormatError(`${what} is neither PEM nor base64.`);
	}
	return Buffer.from(base64, 'base64');
}

function checkRsa(key: KeyObject, what: string): KeyObject {
	if (key.asymmetricKeyType !== 'rsa') throw new KeyFormatError(`${what} is not an RSA key.`);
	const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
	if (bits < MIN_MODULUS_BITS) {
		throw new KeyFormatError(`${what} has ${bits} bits; RSA2 needs at least ${MIN_MODULUS_BITS}.`);
	}
	return key;
}

/** Tries each way of reading `text` until one works. */
function firstThat<T>(attempts: (() => T)[], what: string): T {
	for (const attempt of attempts) {
		try {
			return attempt();
		} catch {
			// the next form may fit
		}
	}
	throw new KeyFormatError(`${what} could not be read as any accepted key form.`);
}

export function loadPrivateKey(text: string, what = 'The merchant private key'): KeyObject {
	const clean = normalise(text);
	if (clean === '') throw new KeyFormatError(`${what} is empty.`);
	const key = clean.startsWith('-----BEGIN')
		? firstThat([() => createPrivateKey({ key: clean, format: 'pem' })], what)
		: firstThat(
				[
					() => createPrivateKey({ key: bareDer(clean, what), format: 'der', type: 'pkcs8' }),
					() => createPrivateKey({ key: bareDer(clean, what), format: 'der', type: 'pkcs1' })
				],
				what
			);
	return checkRsa(key, what);
}

export function loadPublicKey(text: string, what = 'The gateway public key'): KeyObject {
	const clean = normalise(text);
	if (clean === '') throw new KeyFormatError(`${what} is empty.`);
	if (/PRIVATE KEY-----/.test(clean)) {
		throw new KeyFormatError(`${what} is a private key; give the public key.`);
	}
	const key = clean.startsWith('-----BEGIN')
		? firstThat([() => createPublicKey({ key: clean, format: 'pem' })], what)
		: firstThat(
				[
					() => createPublicKey({ key: bareDer(clean, what), format: 'der', type: 'spki' }),
					() => createPublicKey({ key: bareDer(clean, what), format: 'der', type: 'pkcs1' })
				],
				what
			);
	return checkRsa(key, what);
}
