/**
 * The simulator's hosted checkout is strict where the spec is (required fields, lengths, the
 * 7-day limit of `expires`, URLs, `order_detail` as JSON text), serves its page at `pay_url`,
 * sends the browser on to `return_url` after paying, and `order.revoker` cancels an unpaid order.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
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
		gatewayPrivateKey: pem(gateway.privateKey, 'pkcs8')
	});
});
afterAll(() => sim?.close());

let n = 0;
const common = (method: string) => ({
	app_id: 'sim-cloud-app',
	method,
	format: 'JSON',
	charset: 'UTF-8',
	sign_type: 'RSA2',
	version: '1.0',
	timestamp: String(Date.now()),
	merchant_no: '302300000926'
});
const checkout = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
	...common('pay.checkout'),
	merchant_order_no: `H${Date.now()}${++n}`,
	price_currency: 'USD',
	order_amount: 15.43,
	expires: 600,
	description: 'Iphone 16',
	return_url: 'https://pos.example/pay-return?ref=abc',
	order_detail: JSON.stringify({
		data: { items: [{ name: 'Tea', quantity: 1 }] },
		type: 'GENERAL'
	}),
	...extra
});
const signed = (fields: Record<string, unknown>) => ({
	...fields,
	sign: sign('sha256', Buffer.from(canonical(fields)), merchant.privateKey).toString('base64')
});
async function post(body: unknown): Promise<{ code: string; data?: Record<string, unknown> }> {
	const response = await fetch(sim.url, { method: 'POST', body: JSON.stringify(body) });
	return (await response.json()) as { code: string; data?: Record<string, unknown> };
}

describe('the simulator’s hosted checkout', () => {
	it('answers a pay_url for pay.checkout and for the PayCloud alias', async () => {
		const answer = await post(signed(checkout()));
		expect(answer.code).toBe('0');
		expect(String(answer.data?.pay_url)).toMatch(/\/checkout\/[0-9a-f]{32}$/);
		const alias = await post(signed(checkout({ method: 'pay.paycloud.checkout' })));
		expect(alias.code).toBe('0');
	});

	it('refuses what the spec does not allow', async () => {
		const missing = checkout();
		delete missing.description;
		expect((await post(signed(missing))).code).toBe('40001');
		expect((await post(signed(checkout({ expires: 7 * 24 * 3600 + 1 })))).code).toBe('40001');
		expect((await post(signed(checkout({ expires: 1.5 })))).code).toBe('40001');
		expect((await post(signed(checkout({ return_url: 'javascript:alert(1)' })))).code).toBe(
			'40001'
		);
		expect((await post(signed(checkout({ order_detail: '{"items":' })))).code).toBe('40001');
		expect((await post(signed(checkout({ description: 'd'.repeat(129) })))).code).toBe('40001');
		expect((await post(signed(checkout({ order_amount: 1.234 })))).code).toBe('40001');
		const first = checkout();
		expect((await post(signed(first))).code).toBe('0');
		expect((await post(signed({ ...first, timestamp: String(Date.now()) }))).code).toBe('40006');
	});

	it('serves the page, and after paying sends the browser to return_url', async () => {
		const fields = checkout();
		const answer = await post(signed(fields));
		const payUrl = String(answer.data?.pay_url);
		const page = await (await fetch(payUrl)).text();
		expect(page).toContain('15.43 USD');
		expect(page).toContain('Tea');
		const paid = await fetch(`${payUrl}/pay`, { method: 'POST', redirect: 'manual' });
		expect(paid.status).toBe(303);
		const next = new URL(paid.headers.get('location') ?? '');
		expect(next.origin + next.pathname).toBe('https://pos.example/pay-return');
		expect(next.searchParams.get('ref')).toBe('abc');
		const shown = sim.orders().find((o) => o.merchant_order_no === fields.merchant_order_no);
		expect(shown?.trans_status).toBe(2);
		expect((await fetch(`${payUrl.slice(0, -4)}0000`)).status).toBe(404);
	});

	it('cancels an unpaid order with order.revoker', async () => {
		const fields = checkout();
		await post(signed(fields));
		const revoke = {
			...common('order.revoker'),
			merchant_order_no: fields.merchant_order_no
		};
		expect((await post(signed(revoke))).code).toBe('0');
		const shown = sim.orders().find((o) => o.merchant_order_no === fields.merchant_order_no);
		expect(shown?.trans_status).toBe(3);
		const missing = { ...common('order.revoker') };
		expect((await post(signed(missing))).code).toBe('40001');
		const unknown = { ...common('order.revoker'), merchant_order_no: 'NOPE1' };
		expect((await post(signed(unknown))).code).toBe('40007');
	});
});
