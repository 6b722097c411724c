/**
 * AES-CBC with the terminal's POS-KEY, through WebCrypto (NOTES.md §3): IV = ASCII
 * `qfpay202306_hjsh`, PKCS#7 padding (WebCrypto's AES-CBC always pads that way), base64 text.
 */

/**
 * NOTES.md §3: the 32 characters of the POS-KEY used as 32 ASCII bytes → AES-256 is what works
 * against real terminals. The vendor page's "16 bytes / AES-128" (the key hex-decoded) is
 * *unconfirmed* and offered as a setting.
 */
export type KeyMode = 'ascii256' | 'hex128';
export const KEY_MODES: readonly KeyMode[] = ['ascii256', 'hex128'];

/** The key every Haojin app ships with until the merchant resets it (vendor page §1). */
export const DEFAULT_POS_KEY = 'f46b1f08bec1f39104792cc79ec9aacd';
export const IV_TEXT = 'qfpay202306_hjsh';

/** The POS-KEY typed in Settings cannot be a key at all (wrong length or characters). */
export class PosKeyFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PosKeyFormatError';
	}
}

function asciiBytes(text: string): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
	return out;
}

/** The raw AES key bytes for a POS-KEY. Throws `PosKeyFormatError` with a cashier-facing reason. */
export function keyBytes(posKey: string, mode: KeyMode): Uint8Array<ArrayBuffer> {
	const key = posKey.trim();
	if (mode === 'hex128') {
		if (!/^[0-9a-fA-F]{32}$/.test(key)) {
			throw new PosKeyFormatError(
				'The POS-KEY must be the 32 letters and digits (0-9, a-f) shown in the Haojin app.'
			);
		}
		const out = new Uint8Array(16);
		for (let i = 0; i < 16; i++) out[i] = parseInt(key.slice(i * 2, i * 2 + 2), 16);
		return out;
	}
	if (!/^[\x21-\x7e]{32}$/.test(key)) {
		throw new PosKeyFormatError(
			`The POS-KEY must be exactly 32 characters as shown in the Haojin app (got ${key.length}).`
		);
	}
	return asciiBytes(key);
}

/** Imports the POS-KEY as a non-extractable AES-CBC key: page scripts can use it, not read it. */
export async function keyFromText(posKey: string, mode: KeyMode = 'ascii256'): Promise<CryptoKey> {
	return crypto.subtle.importKey('raw', keyBytes(posKey, mode), { name: 'AES-CBC' }, false, [
		'encrypt',
		'decrypt'
	]);
}

const iv = (): Uint8Array<ArrayBuffer> => asciiBytes(IV_TEXT);

export function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) {
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	}
	return btoa(binary);
}

/** Strict standard base64 (whitespace ignored). `undefined` for anything else. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
	const clean = text.replace(/\s+/g, '');
	if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
	try {
		return asciiBytes(atob(clean));
	} catch {
		return undefined;
	}
}

export async function encryptText(key: CryptoKey, text: string): Promise<string> {
	const plain = new TextEncoder().encode(text);
	const cipher = await crypto.subtle.encrypt({ name: 'AES-CBC', iv: iv() }, key, plain);
	return toBase64(new Uint8Array(cipher));
}

/**
 * Decrypts base64 AES-CBC text. `undefined` when it is not base64, not whole blocks, fails the
 * padding check (the usual sign of a different key) or is not UTF-8.
 */
export async function decryptText(key: CryptoKey, base64: string): Promise<string | undefined> {
	const bytes = fromBase64(base64);
	if (!bytes || bytes.length === 0 || bytes.length % 16 !== 0) return undefined;
	try {
		const plain = await crypto.subtle.decrypt({ name: 'AES-CBC', iv: iv() }, key, bytes);
		return new TextDecoder('utf-8', { fatal: true }).decode(plain);
	} catch {
		return undefined;
	}
}
