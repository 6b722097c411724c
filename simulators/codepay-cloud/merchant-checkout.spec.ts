/**
 * The simulator's `pay.merchant.checkout`: it decrypts the card with the gateway's private key (the
 * card encrypted here as the till does, with WebCrypto and the product's own cipher), decides by
 * the test card numbers, refuses a card it cannot read or accept, and runs the 3-D Secure page.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	encryptForGateway,
	importGatewayKey
} from '../../src/lib/terminals/codepay-card/card-cipher';
import { canonical, startCloudGatewaySimulator, type CloudGatewaySimulator } from './server.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: { export(o: object): string | Buffer }, type: string) =>
	String(key.export({ type, format: 'pem' }));
const spki = gateway.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
let sim: CloudGatewaySimulator;
let key: CryptoKey;

beforeAll(async () => {
	sim = await startCloudGatewaySimulator({
		port: 0,
		merchantPublicKey: pem(merchant.publicKey, 'spki'),
		gatewayPrivateKey: pem(gateway.privateKey, 'pkcs8'),
		retryMs: 10
	});
	key = await importGatewayKey(crypto.subtle, spki);
});
afterAll(() => sim?.close());

let n = 0;
async function checkout(
	card: Record<string, unknown> | string,
	extra: Record<string, unknown> = {}
) {
	const sealed =
		typeof card === 'string'
			? card
			: await encryptForGateway(crypto.subtle, key, JSON.stringify(card));
	const fields: Record<string, unknown> = {
		app_id: 'sim-cloud-app',
		method: 'pay.merchant.checkout',
		format: 'JSON',
		charset: 'UTF-8',
		sign_type: 'RSA2',
		version: '1.0',
		timestamp: String(Date.now()),
		merchant_no: '302300000926',
		card: sealed,
		billing_address: JSON.stringify({ name: 'Ada Lovelace' }),
		merchant_order_no: `C${Date.now()}${++n}`,
		price_currency: 'USD',
		order_amount: 34.5,
		expires: 600,
		description: 'Phone order',
		return_url: 'http://127.0.0.1:1/card-return.html',
		...extra
	};
	const body = {
		...fields,
		sign: sign('sha256', Buffer.from(canonical(fields)), merchant.privateKey).toString('base64')
	};
	const response = await fetch(sim.url, { method: 'POST', body: JSON.stringify(body) });
	const answer = (await response.json()) as {
		code: string;
		msg: string;
		data: Record<string, unknown>;
		sign: string;
	};
	expect(
		verify(
			'sha256',
			Buffer.from(canonical(answer)),
			gateway.publicKey,
			Buffer.from(answer.sign, 'base64')
		)
	).toBe(true);
	return { answer, no: String(fields.merchant_order_no) };
}

const card = (pan: string, more: Record<string, unknown> = {}) => ({
	card_type: 2,
	pan,
	expiry: '1230',
	cvv: pan.startsWith('37') ? '1234' : '123',
	holder: 'Ada Lovelace',
	...more
});
const orderOf = (no: string) => sim.orders().find((o) => o.merchant_order_no === no);

describe('pay.merchant.checkout in the simulator', () => {
	it('decrypts the card and approves a good one, showing only the masked number', async () => {
		const { answer, no } = await checkout(card('5555555555554444'));
		expect(answer).toMatchObject({
			code: '0',
			data: { trans_status: 2, pay_method_id: 'MasterCard' }
		});
		expect(orderOf(no)).toMatchObject({
			trans_status: 2,
			card_no: '555555******4444',
			order_amount: '34.50'
		});
		expect(JSON.stringify(sim.orders())).not.toContain('5555555555554444');
	});

	it('declines the decline test cards', async () => {
		const { answer, no } = await checkout(card('4000000000000002'));
		expect(answer.data.trans_status).toBe(1);
		expect(orderOf(no)).toMatchObject({ trans_status: 1, resp_msg: '[05]Do not honour' });
	});

	it('refuses a card it cannot read or would not take: 40001', async () => {
		expect((await checkout('not base64!')).answer.code).toBe('40001');
		expect((await checkout(Buffer.alloc(256).toString('base64'))).answer.msg).toMatch(/decrypt/);
		expect((await checkout(card('4111111111111112'))).answer.msg).toMatch(/pan/);
		expect((await checkout(card('4111111111111111', { expiry: '0120' }))).answer.msg).toMatch(
			/expired/
		);
		expect((await checkout(card('378282246310005', { cvv: '123' }))).answer.msg).toMatch(/cvv/);
		expect((await checkout(card('4111111111111111'), { billing_address: '' })).answer.code).toBe(
			'40001'
		);
		expect(
			(await checkout(card('4111111111111111'), { description: 'x'.repeat(129) })).answer.code
		).toBe('40001');
	});

	it('asks for 3-D Secure on its test card; the page completes or fails it and sends the cardholder back', async () => {
		const first = await checkout(card('4000000000003220'));
		expect(first.answer.data).toMatchObject({ trans_status: 0 });
		const url = String(first.answer.data.redirect_url_3dsecure);
		expect(await (await fetch(url)).text()).toContain('Complete');
		expect(orderOf(first.no)?.trans_status).toBe(0);
		const done = await fetch(`${url}/complete`, { method: 'POST', redirect: 'manual' });
		expect(done.status).toBe(302);
		expect(done.headers.get('location')).toBe('http://127.0.0.1:1/card-return.html');
		expect(orderOf(first.no)?.trans_status).toBe(2);
		// A challenge is used once.
		expect((await fetch(`${url}/fail`, { method: 'POST', redirect: 'manual' })).status).toBe(404);

		const second = await checkout(card('4000000000003220'));
		await fetch(`${second.answer.data.redirect_url_3dsecure}/fail`, {
			method: 'POST',
			redirect: 'manual'
		});
		expect(orderOf(second.no)).toMatchObject({
			trans_status: 1,
			resp_msg: '[3DS]Authentication failed'
		});
	});
});
