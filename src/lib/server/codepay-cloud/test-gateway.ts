/** Test helper: key pairs, a gateway simulator on a free loopback port, and credentials for it. */
import { generateKeyPairSync } from 'node:crypto';
import {
	startCloudGatewaySimulator,
	type CloudGatewaySimulator
} from '../../../../simulators/codepay-cloud/server.js';
import type { CloudCredentials } from './credentials';
import { loadPrivateKey, loadPublicKey } from './keys';

export interface TestGateway {
	sim: CloudGatewaySimulator;
	credentials: CloudCredentials;
	/** PEMs, for tests that pass keys as the environment would. */
	merchantPrivatePem: string;
	gatewayPublicPem: string;
}

export async function startTestGateway(approveMs = 200): Promise<TestGateway> {
	const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pem = (key: { export(o: object): string | Buffer }, type: string) =>
		String(key.export({ type, format: 'pem' }));
	const merchantPrivatePem = pem(merchant.privateKey, 'pkcs8');
	const gatewayPublicPem = pem(gateway.publicKey, 'spki');
	const sim = await startCloudGatewaySimulator({
		port: 0,
		merchantPublicKey: pem(merchant.publicKey, 'spki'),
		gatewayPrivateKey: pem(gateway.privateKey, 'pkcs8'),
		approveMs,
		retryMs: 100
	});
	return {
		sim,
		merchantPrivatePem,
		gatewayPublicPem,
		credentials: {
			gatewayUrl: sim.url,
			appId: 'sim-cloud-app',
			merchantNo: '302300000926',
			privateKey: loadPrivateKey(merchantPrivatePem),
			gatewayPublicKey: loadPublicKey(gatewayPublicPem)
		}
	};
}

/** Reads until `ok` holds (about 10 s at most): for what the gateway does in its own time. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
	for (let i = 0; i < 400; i++) {
		const value = await read();
		if (ok(value)) return value;
		await new Promise((r) => setTimeout(r, 25));
	}
	throw new Error('condition never held');
}
