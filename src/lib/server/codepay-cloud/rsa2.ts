/**
 * RSA2 as CodePay means it (NOTES.md §2): SHA256withRSA, i.e. RSASSA-PKCS1-v1_5 over SHA-256 of
 * the UTF-8 canonical string, standard base64.
 */
import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';

export function signRsa2(canonical: string, privateKey: KeyObject): string {
	return cryptoSign('sha256', Buffer.from(canonical, 'utf8'), privateKey).toString('base64');
}

/**
 * The same signature computed on libuv's thread pool: a server signing for many tills keeps its
 * event loop (HTTP, the store) on one core while the RSA work runs on the others.
 */
export function signRsa2Async(canonical: string, privateKey: KeyObject): Promise<string> {
	return new Promise((resolve, reject) =>
		cryptoSign('sha256', Buffer.from(canonical, 'utf8'), privateKey, (error, signature) =>
			error ? reject(error) : resolve(signature.toString('base64'))
		)
	);
}

/** False for anything but a valid signature (missing, not base64, wrong key, altered text). */
export function verifyRsa2(canonical: string, signature: unknown, publicKey: KeyObject): boolean {
	if (typeof signature !== 'string' || signature === '') return false;
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
	try {
		return cryptoVerify(
			'sha256',
			Buffer.from(canonical, 'utf8'),
			publicKey,
			Buffer.from(signature, 'base64')
		);
	} catch {
		return false;
	}
}
