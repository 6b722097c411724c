/**
 * The till's card-entry routes over a real store and the gateway simulator: the card only as the
 * browser's ciphertext (a card in clear is refused before the gateway is asked), the result
 * confirmed by a signed order.query, 3-D Secure left waiting and settled by query, one charge per
 * merchant_order_no, refunds only with a manager's approval, settled by order.refund.query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptForGateway, importGatewayKey } from '$lib/terminals/codepay-card/card-cipher';
import { CloudRail } from '../codepay-cloud/cloud-rail';
import { CodePayGateway } from '../codepay-cloud/gateway-client';
import { startTestGateway, type TestGateway } from '../codepay-cloud/test-gateway';
import type { Runtime } from '../runtime';
import type { SqlStore } from '../store/sql-store';
import { testBackends } from '../store/test-stores';
import {
	cancelCheckout,
	checkoutStatus,
	gatewayKey,
	startCheckout,
	startRefund
} from './card-entry';
import { managerApproval } from './manager-approval';
import { staffLogin } from './staff-login';
import { call, pairTill, testConfigFile, testRuntime, type Handler } from './test-harness';

const PAN = '4111111111111111';

describe.each(testBackends)('card-entry routes on $name', (backend) => {
	let gw: TestGateway;
	let store: SqlStore;
	let rt: Runtime;
	let token: string;
	let session: string;
	let key: CryptoKey;
	let n = 0;
	const clock = { now: Date.now() };

	beforeAll(async () => {
		gw = await startTestGateway(100);
		gw.sim.setFaults({ noNotification: true });
		({ store } = await backend.open());
		const file = await testConfigFile({
			terminals: [
				{ id: 'card-1', name: 'Card entry', rail: 'codepay-card', currency: 'USD', params: {} }
			]
		});
		const base = await testRuntime(store, clock, file);
		const rail = new CloudRail({
			gateway: new CodePayGateway(gw.credentials, { log: () => {} }),
			gatewayPublicKey: gw.credentials.gatewayPublicKey,
			store,
			terminals: base.config.terminals,
			now: Date.now,
			log: () => {}
		});
		rt = { ...base, codepayCloud: { configured: true, rail } };
		({ token } = await pairTill(rt));
		session = (await call(rt, staffLogin, '/api/auth/login', { body: { pin: '1111' }, token })).body
			.sessionToken;
		const served = await call(rt, gatewayKey, '/api/rails/codepay-card/key', {
			method: 'GET',
			token,
			session
		});
		key = await importGatewayKey(crypto.subtle, served.body.spki);
	}, 60_000);

	afterAll(async () => {
		await gw?.sim.close();
		await store?.close();
	});

	const as = (handler: Handler, path: string, body?: unknown, who = { token, session }) =>
		call(rt, handler, path, { body, method: body === undefined ? 'GET' : 'POST', ...who });
	const sealed = (pan = PAN, cvv = '123') =>
		encryptForGateway(
			crypto.subtle,
			key,
			JSON.stringify({ card_type: 2, pan, expiry: '1230', cvv, holder: 'Ada Lovelace' })
		);
	const checkout = async (pan = PAN) => ({
		terminalId: 'card-1',
		merchantOrderNo: `CE${backend.name}${Date.now()}${++n}`,
		amount: 3000,
		tip: 450,
		currency: 'USD',
		card: await sealed(pan),
		billingAddress: JSON.stringify({ name: 'Ada Lovelace' })
	});
	const status = (no: string) =>
		as((r, e) => checkoutStatus(r, e, no), `/api/rails/codepay-card/checkouts/${no}`);
	const requestsFor = (no: string) =>
		gw.sim.requests().filter((r) => r.merchant_order_no === no || r.orig_merchant_order_no === no);

	it('charges the ciphertext as it came and believes only a signed order.query', async () => {
		const body = await checkout();
		const res = await as(startCheckout, '/api/rails/codepay-card/checkouts', body);
		expect(res).toMatchObject({
			status: 200,
			body: { created: true, order: { state: 'approved' } }
		});
		expect(res.body.order.outcome).toMatchObject({
			amount: 3450,
			cardBrand: 'Visa',
			maskedCard: '411111******1111'
		});
		const sent = requestsFor(body.merchantOrderNo);
		expect(sent.map((r) => r.method)).toEqual(['pay.merchant.checkout', 'order.query']);
		expect(sent[0]).toMatchObject({ card: body.card, order_amount: 34.5 });
		expect(sent[0]?.billing_address).toBe('{"name":"Ada Lovelace"}');
		expect(JSON.stringify(gw.sim.requests())).not.toContain(PAN);

		const again = await as(startCheckout, '/api/rails/codepay-card/checkouts', body);
		expect(again.body).toMatchObject({ created: false, order: { state: 'approved' } });
		expect(requestsFor(body.merchantOrderNo)).toHaveLength(2);
	});

	it('refuses a card that was not encrypted, before the gateway is asked', async () => {
		const body = { ...(await checkout()), card: PAN };
		const res = await as(startCheckout, '/api/rails/codepay-card/checkouts', body);
		expect(res.status).toBe(400);
		expect(JSON.stringify(res.body)).toContain('encrypted in the browser');
		expect(JSON.stringify(res.body)).not.toContain(PAN);
		expect(requestsFor(body.merchantOrderNo)).toHaveLength(0);
		const anonymous = await as(startCheckout, '/x', await checkout(), { token, session: '' });
		expect(anonymous.status).toBe(401);
	});

	it('declines what the gateway declines, with its message', async () => {
		const res = await as(startCheckout, '/x', await checkout('4000000000000002'));
		expect(res.body.order).toMatchObject({
			state: 'declined',
			outcome: { message: '[05]Do not honour' }
		});
	});

	it('waits on 3-D Secure, then settles by query what the cardholder did', async () => {
		const body = await checkout('4000000000003220');
		const res = await as(startCheckout, '/x', body);
		expect(res.body.order).toMatchObject({ state: 'sent' });
		const url = res.body.order.payUrl as string;
		expect(url).toMatch(/\/3ds\//);
		expect((await status(body.merchantOrderNo)).body.order).toMatchObject({
			state: 'sent',
			payUrl: url
		});
		await fetch(`${url}/complete`, { method: 'POST', redirect: 'manual' });
		const after = await status(body.merchantOrderNo);
		expect(after.body.order).toMatchObject({ state: 'approved' });
		expect(after.body.order.payUrl).toBeUndefined();
	});

	it('cancels a payment left waiting on 3-D Secure with order.revoker', async () => {
		const body = await checkout('4000000000003220');
		await as(startCheckout, '/x', body);
		const cancelled = await as((r, e) => cancelCheckout(r, e, body.merchantOrderNo), '/x', {});
		expect(cancelled.body.order).toMatchObject({ state: 'cancelled' });
		expect(requestsFor(body.merchantOrderNo).map((r) => r.method)).toContain('order.revoker');
		expect(
			gw.sim.orders().find((o) => o.merchant_order_no === body.merchantOrderNo)?.trans_status
		).toBe(3);
	});

	it('refunds with a manager approval only, partially, settled by order.refund.query', async () => {
		const sale = await checkout();
		await as(startCheckout, '/x', sale);
		const refund = {
			terminalId: 'card-1',
			merchantOrderNo: `RF${backend.name}${Date.now()}${++n}`,
			origMerchantOrderNo: sale.merchantOrderNo,
			amount: 1000,
			currency: 'USD'
		};
		expect((await as(startRefund, '/x', refund)).status).toBe(403);
		await as(managerApproval, '/api/auth/manager', {
			pin: '9999',
			action: 'refund',
			orderId: 'order-1',
			origAttemptId: 'att-orig',
			origMerchantOrderNo: sale.merchantOrderNo,
			amount: 1000
		});
		const ok = await as(startRefund, '/x', refund);
		expect(ok.body).toMatchObject({ created: true, order: { state: 'approved' } });
		expect(requestsFor(refund.merchantOrderNo).map((r) => r.method)).toEqual([
			'order.refund.submit',
			'order.refund.query'
		]);
		expect(requestsFor(refund.merchantOrderNo)[0]).toMatchObject({ order_amount: 10 });

		// More than is left: refused before the gateway is asked.
		const over = { ...refund, merchantOrderNo: `RF${Date.now()}${++n}`, amount: 3000 };
		await as(managerApproval, '/api/auth/manager', {
			pin: '9999',
			action: 'refund',
			orderId: 'order-1',
			origAttemptId: 'att-orig',
			origMerchantOrderNo: sale.merchantOrderNo,
			amount: 3000
		});
		const refusedOver = await as(startRefund, '/x', over);
		expect(refusedOver).toMatchObject({ status: 409, body: { error: 'over_refund' } });
		expect(requestsFor(over.merchantOrderNo)).toHaveLength(0);
	});
});
