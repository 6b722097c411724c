/**
 * The gateway simulator is strict where the spec is: it refuses requests that are unsigned,
 * wrongly signed, outside the 15-minute window, missing a required field or over a length, and a
 * second order with one merchant_order_no; it signs every answer.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonical, startCloudGatewaySimulator, type CloudGatewaySimulator } from './server.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: { export(o: object): string | Buffer }, type: string) =>
	String(key.export({ type, format: 'pem' }));
let sim: CloudGatewaySimulator;

beforeAll(async () => {
	sim = await startCloudGatewaySimulator({
		port: 0,
		merchantPublicKey: pem(merchant.publicKey, 'spki'),
		gatewayPrivateKey: pem(gateway.privateKey, 'pkcs8'),
		approveMs: 50
	});
});
afterAll(() => sim?.close());

let n = 0;
function order(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		app_id: 'sim-cloud-app',
		method: 'wisehub.cloud.pay.order',
		format: 'JSON',
		charset: 'UTF-8',
		sign_type: 'RSA2',
		version: '1.0',
		timestamp: String(Date.now()),
		merchant_no: '302300000926',
		terminal_sn: 'WPYB002248000865',
		message_receiving_application: 'CodePay Register',
		price_currency: 'USD',
		order_amount: 144.34,
		trans_type: 1,
		merchant_order_no: `S${Date.now()}${++n}`,
		description: 'ECRCloudPurchase',
		expires: 300,
		api_version: '2.0',
		...extra
	};
}
const signed = (fields: Record<string, unknown>) => ({
	...fields,
	sign: sign('sha256', Buffer.from(canonical(fields)), merchant.privateKey).toString('base64')
});

async function post(body: unknown): Promise<Record<string, unknown>> {
	const response = await fetch(sim.url, { method: 'POST', body: JSON.stringify(body) });
	const answer = (await response.json()) as Record<string, unknown>;
	const ok = verify(
		'sha256',
		Buffer.from(canonical(answer)),
		gateway.publicKey,
		Buffer.from(String(answer.sign), 'base64')
	);
	expect(ok, 'every answer is signed by the gateway').toBe(true);
	return answer;
}

describe('the CodePay cloud gateway simulator', () => {
	it('takes a correctly signed order and answers it signed', async () => {
		const answer = await post(signed(order()));
		expect(answer).toMatchObject({ code: '0', data: { terminal_online_status: 'online' } });
	});

	it('refuses unsigned and wrongly signed requests', async () => {
		expect((await post(order())).code).toBe('40002');
		const tampered = { ...signed(order()), order_amount: 1 };
		expect((await post(tampered)).code).toBe('40002');
	});

	it('refuses a timestamp more than 15 minutes off, either way', async () => {
		const old = String(Date.now() - 16 * 60_000);
		const ahead = String(Date.now() + 16 * 60_000);
		expect((await post(signed(order({ timestamp: old })))).code).toBe('40003');
		expect((await post(signed(order({ timestamp: ahead })))).code).toBe('40003');
	});

	it('refuses a missing required field, an overlong one, and a repeated merchant_order_no', async () => {
		const missing = order();
		delete missing.terminal_sn;
		expect((await post(signed(missing))).code).toBe('40001');
		expect((await post(signed(order({ merchant_order_no: 'X'.repeat(33) })))).code).toBe('40001');
		const first = order();
		expect((await post(signed(first))).code).toBe('0');
		expect((await post(signed({ ...first, timestamp: String(Date.now()) }))).code).toBe('40006');
	});
});
