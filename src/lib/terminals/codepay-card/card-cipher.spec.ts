import { constants, createPrivateKey, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkBytes, encryptForGateway, importGatewayKey } from './card-cipher';
import { cardPlaintext } from './card-payload';
import { checkCard, isChecked } from './card-checks';

const subtle = globalThis.crypto.subtle;

async function keyPair(bits = 2048) {
	const pair = await subtle.generateKey(
		{
			name: 'RSA-OAEP',
			modulusLength: bits,
			publicExponent: new Uint8Array([1, 0, 1]),
			hash: 'SHA-1'
		},
		true,
		['encrypt', 'decrypt']
	);
	const spki = Buffer.from(await subtle.exportKey('spki', pair.publicKey)).toString('base64');
	const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', pair.privateKey));
	return { spki, privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }) };
}

/** The gateway's side, with node:crypto: each 256-byte block decrypted with OAEP SHA-1. */
function gatewayDecrypt(base64: string, privateKey: ReturnType<typeof createPrivateKey>): string {
	const bytes = Buffer.from(base64, 'base64');
	const block = (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
	expect(bytes.length % block).toBe(0);
	const parts: Buffer[] = [];
	for (let at = 0; at < bytes.length; at += block) {
		const plain = privateDecrypt(
			{ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
			bytes.subarray(at, at + block)
		);
		parts.push(plain);
	}
	return Buffer.concat(parts).toString('utf8');
}

describe('the card encrypted for the gateway', () => {
	it('cuts 214-byte chunks under a 2048-bit key (NOTES.md §2)', () => {
		expect(chunkBytes(2048)).toBe(214);
		expect(chunkBytes(4096)).toBe(470);
	});

	it('decrypts with the private key to the spec’s card JSON', async () => {
		const { spki, privateKey } = await keyPair();
		const key = await importGatewayKey(subtle, spki);
		const checked = checkCard(
			{ number: '4111 1111 1111 1111', expiry: '12/28', cvv: '123', holder: 'Ada Lovelace' },
			new Date(Date.UTC(2026, 11, 7))
		);
		if (!isChecked(checked)) throw new Error('card refused');
		const plaintext = cardPlaintext(checked, 'credit');
		expect(plaintext).toBe(
			'{"card_type":2,"pan":"4111111111111111","expiry":"1228","cvv":"123","holder":"Ada Lovelace"}'
		);
		const sealed = await encryptForGateway(subtle, key, plaintext);
		expect(sealed).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
		expect(Buffer.from(sealed, 'base64').length).toBe(256);
		expect(sealed).not.toContain('4111');
		expect(gatewayDecrypt(sealed, privateKey)).toBe(plaintext);
	});

	it('chains blocks at 214 bytes and beyond, splitting multi-byte characters safely', async () => {
		const { spki, privateKey } = await keyPair();
		const key = await importGatewayKey(subtle, spki);
		for (const [size, blocks] of [
			[1, 1],
			[213, 1],
			[214, 1],
			[215, 2],
			[428, 2],
			[429, 3],
			[1000, 5]
		] as const) {
			const text = 'x'.repeat(size);
			const sealed = await encryptForGateway(subtle, key, text);
			expect(Buffer.from(sealed, 'base64').length, `${size} bytes`).toBe(256 * blocks);
			expect(gatewayDecrypt(sealed, privateKey)).toBe(text);
		}
		// A holder in another script: "é" is two bytes, cut between them at byte 214.
		const text = `${'a'.repeat(213)}é${'ü'.repeat(150)}`;
		expect(gatewayDecrypt(await encryptForGateway(subtle, key, text), privateKey)).toBe(text);
	});

	it('is different each time (OAEP is randomised), so equal cards cannot be matched', async () => {
		const { spki } = await keyPair();
		const key = await importGatewayKey(subtle, spki);
		const a = await encryptForGateway(subtle, key, 'same');
		const b = await encryptForGateway(subtle, key, 'same');
		expect(a).not.toBe(b);
	});
});
