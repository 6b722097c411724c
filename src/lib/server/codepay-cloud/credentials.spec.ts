import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCloudCredentials } from './credentials';
import { signRsa2, verifyRsa2 } from './rsa2';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dir = mkdtempSync(join(tmpdir(), 'codepay-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = {
	CODEPAY_GATEWAY_URL: 'http://127.0.0.1:35780/api/entry',
	CODEPAY_APP_ID: 'app',
	CODEPAY_MERCHANT_NO: '302300000926'
};

describe('cloud credentials from the environment', () => {
	it('is "not configured" and names what is missing when nothing is set', () => {
		const result = loadCloudCredentials({});
		expect(result.configured).toBe(false);
		if (!result.configured) expect(result.missing).toContain('CODEPAY_APP_ID');
	});

	it('reads inline keys and keys from _FILE paths', () => {
		const privatePath = join(dir, 'merchant.pem');
		writeFileSync(privatePath, merchant.privateKey.export({ type: 'pkcs1', format: 'pem' }));
		const result = loadCloudCredentials({
			...base,
			CODEPAY_MERCHANT_PRIVATE_KEY_FILE: privatePath,
			CODEPAY_GATEWAY_PUBLIC_KEY: (
				gateway.publicKey.export({ type: 'spki', format: 'der' }) as Buffer
			).toString('base64')
		});
		expect(result.configured).toBe(true);
		if (!result.configured) return;
		const signature = signRsa2('a=1', result.credentials.privateKey);
		expect(verifyRsa2('a=1', signature, merchant.publicKey)).toBe(true);
		const fromGateway = signRsa2('b=2', gateway.privateKey);
		expect(verifyRsa2('b=2', fromGateway, result.credentials.gatewayPublicKey)).toBe(true);
	});

	it('refuses a malformed key naming the variable but not the key', () => {
		expect(() =>
			loadCloudCredentials({
				...base,
				CODEPAY_MERCHANT_PRIVATE_KEY: 'c2VjcmV0LWtleS1ieXRlcw==',
				CODEPAY_GATEWAY_PUBLIC_KEY: gateway.publicKey.export({
					type: 'spki',
					format: 'pem'
				}) as string
			})
		).toThrow(/^CODEPAY_MERCHANT_PRIVATE_KEY could not be read/);
	});
});
