/**
 * The card's encryption in the browser (NOTES.md §2): RSA-OAEP with SHA-1 (and MGF1-SHA-1) under
 * the gateway's public key, the UTF-8 plaintext cut into chunks of at most 214 bytes (the most
 * OAEP-SHA-1 fits in a 2048-bit block: 256 − 2·20 − 2), each chunk's 256-byte ciphertext
 * concatenated, then standard base64. WebCrypto only, so the card never leaves the page in clear.
 */

/** SHA-1's output length, in bytes. */
const SHA1_BYTES = 20;

/** The largest plaintext chunk OAEP-SHA-1 takes under a key of `modulusBits`. */
export function chunkBytes(modulusBits: number): number {
	return Math.floor(modulusBits / 8) - 2 * SHA1_BYTES - 2;
}

/** The key as WebCrypto takes it, from SPKI DER in base64 (the till's rail route serves that). */
export async function importGatewayKey(
	subtle: SubtleCrypto,
	spkiBase64: string
): Promise<CryptoKey> {
	const der = Uint8Array.from(atob(spkiBase64.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
	return subtle.importKey('spki', der, { name: 'RSA-OAEP', hash: 'SHA-1' }, false, ['encrypt']);
}

function base64(bytes: Uint8Array): string {
	let text = '';
	for (let i = 0; i < bytes.length; i += 0x8000) {
		text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	}
	return btoa(text);
}

export async function encryptForGateway(
	subtle: SubtleCrypto,
	key: CryptoKey,
	plaintext: string
): Promise<string> {
	const bits = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength;
	const size = chunkBytes(bits);
	const bytes = new TextEncoder().encode(plaintext);
	const blocks: Uint8Array[] = [];
	for (let at = 0; at < bytes.length; at += size) {
		const chunk = bytes.subarray(at, at + size);
		blocks.push(new Uint8Array(await subtle.encrypt({ name: 'RSA-OAEP' }, key, chunk)));
	}
	const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
	let offset = 0;
	for (const block of blocks) {
		out.set(block, offset);
		offset += block.length;
	}
	return base64(out);
}
