/**
 * The pay-by-link routes over a real store and the gateway simulator (its hosted page included):
 * a checkout opened once with the order's lines and a return_url carrying only an opaque
 * reference; paid on the page and settled by the verified notification, a duplicate and a forged
 * one changing nothing, a wrong amount not believed; a return before the notification settled by
 * a signed query; forged and foreign references; expiry; cancel by `order.revoker` (never after a
 * payment); refunds within what is left, on a manager's approval, their status by the refund query.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudRail } from '../codepay-cloud/cloud-rail';
import { CodePayGateway } from '../codepay-cloud/gateway-client';
import { startTestGateway, until, type TestGateway } from '../codepay-cloud/test-gateway';
import type { Runtime } from '../runtime';
import type { SqlStore } from '../store/sql-store';
import { testBackends } from '../store/test-stores';
import { cloudNotification, getCloudOrder, queryCloudOrder } from './codepay-cloud';
import { cancelHostedOrder, createCheckout, refundHostedOrder } from './codepay-link';
import { managerApproval } from './manager-approval';
import { paymentReturn } from './payment-returns';
import { staffLogin } from './staff-login';
import { call, pairTill, testConfigFile, testRuntime, type Handler } from './test-harness';

describe.each(testBackends)('pay-by-link routes on $name', (backend) => {
	let gw: TestGateway;
	let store: SqlStore;
	let rt: Runtime;
	let till: { deviceId: string; token: string; session: string };
	let other: { deviceId: string; token: string; session: string };
	let notifyServer: Server;
	let n = 0;
	const clock = { now: Date.now() };

	const signIn = async (pair: { deviceId: string; token: string }) => ({
		...pair,
		session: (
			await call(rt, staffLogin, '/api/auth/login', { body: { pin: '1111' }, token: pair.token })
		).body.sessionToken as string
	});

	beforeAll(async () => {
		gw = await startTestGateway(100);
		({ store } = await backend.open());
		const file = await testConfigFile({
			terminals: [
				{
					id: 'link-1',
					name: 'Pay by link',
					rail: 'codepay-link',
					currency: 'USD',
					params: { allowOptions: 'Card, ApplePay', expiresSeconds: 600 }
				},
				{
					id: 'link-short',
					name: 'Pay by link (short)',
					rail: 'codepay-link',
					currency: 'USD',
					params: { expiresSeconds: 5, gatewayBrand: 'paycloud' }
				}
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
		// The gateway's notifications reach the cloud rail's notification route, as in production.
		notifyServer = createServer(async (request, response) => {
			let text = '';
			for await (const chunk of request) text += chunk;
			const answer = await notify(text);
			response.writeHead(answer.status).end(answer.text);
		});
		await new Promise<void>((resolve) => notifyServer.listen(0, '127.0.0.1', resolve));
		const notifyUrl = `http://127.0.0.1:${(notifyServer.address() as AddressInfo).port}/notify`;
		rt = { ...base, now: Date.now, codepayCloud: { configured: true, rail, notifyUrl } };
		till = await signIn(await pairTill(rt, 'Till 1'));
		other = await signIn(await pairTill(rt, 'Till 2'));
	}, 60_000);

	afterAll(async () => {
		await gw?.sim.close();
		notifyServer?.close();
		await store?.close();
	});

	beforeEach(() => {
		gw.sim.setFaults({ noNotification: false, amountMismatch: false, notificationCopies: 1 });
	});

	/** What `POST /api/notify/codepay-cloud` answers (plain text). */
	const notify = async (text: string) => {
		const url = new URL('http://pos.test/api/notify/codepay-cloud');
		const response = await cloudNotification(rt, {
			request: new Request(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: text
			}),
			url,
			locals: { device: null, staff: null },
			getClientAddress: () => '10.0.0.9'
		});
		return { status: response.status, text: await response.text() };
	};
	const as = (handler: Handler, path: string, body?: unknown, who: Partial<typeof till> = till) =>
		call(rt, handler, path, {
			body,
			method: body === undefined ? 'GET' : 'POST',
			token: who.token,
			session: who.session
		});
	const checkout = (overrides: Record<string, unknown> = {}) => ({
		terminalId: 'link-1',
		merchantOrderNo: `L${backend.name}${Date.now()}${++n}`,
		amount: 1234,
		currency: 'USD',
		mode: 'link',
		lines: [
			{ name: 'Flat white', code: 'FW', quantity: 2, unitPrice: 450, amount: 900 },
			{ name: 'Croissant', quantity: 1, unitPrice: 334, amount: 334 }
		],
		description: 'Order 42',
		...overrides
	});
	const open = async (overrides: Record<string, unknown> = {}) => {
		const body = checkout(overrides);
		const res = await as(createCheckout, '/api/rails/codepay-link/checkouts', body);
		expect(res.status).toBe(200);
		return { body, order: res.body.order };
	};
	const request = (no: string, method: string) =>
		gw.sim.requests().filter((r) => r.merchant_order_no === no && r.method === method);
	const refOf = (no: string) =>
		new URL(
			String(
				request(no, 'pay.checkout')[0]?.return_url ??
					request(no, 'pay.paycloud.checkout')[0]?.return_url
			)
		).searchParams.get('ref') ?? '';
	const press = (payUrl: string, button: 'pay' | 'fail' | 'abandon') =>
		fetch(`${payUrl}/${button}`, { method: 'POST', redirect: 'manual' });
	const lookup = (ref: string, who: Partial<typeof till> = {}) =>
		as((r, e) => paymentReturn(r, e, ref), `/api/payment-returns/${ref}`, undefined, who);
	const stateOf = async (no: string) =>
		(await as((r, e) => getCloudOrder(r, e, no), `/api/rails/codepay-link/orders/${no}`)).body
			.order;
	const eventsOf = async (no: string) =>
		(await store.cloudOrders.eventsAfter(till.deviceId, 0, 10_000)).filter(
			(e) => e.merchantOrderNo === no
		);

	it('opens one checkout per attempt, with the lines and an opaque return reference', async () => {
		const { body, order } = await open();
		expect(order).toMatchObject({ state: 'sent', merchantOrderNo: body.merchantOrderNo });
		expect(order.payUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/[0-9a-f]{32}$/);
		const again = await as(createCheckout, '/api/rails/codepay-link/checkouts', body);
		expect(again.body).toMatchObject({ created: false, order: { payUrl: order.payUrl } });
		const sent = request(body.merchantOrderNo, 'pay.checkout');
		expect(sent).toHaveLength(1);
		const wire = sent[0]!;
		expect(wire).toMatchObject({
			order_amount: 12.34,
			price_currency: 'USD',
			expires: 600,
			description: 'Order 42'
		});
		const detail = JSON.parse(String(wire.order_detail));
		expect(detail).toEqual({
			type: 'GENERAL',
			data: {
				items: [
					{ code: 'FW', name: 'Flat white', quantity: 2, unit_price: 4.5, amount: 9 },
					{ name: 'Croissant', quantity: 1, unit_price: 3.34, amount: 3.34 }
				],
				payment: { allow_options: '["Card","ApplePay"]' }
			}
		});
		const returnUrl = new URL(String(wire.return_url));
		expect(`${returnUrl.origin}${returnUrl.pathname}`).toBe('http://pos.test/pay-return');
		expect([...returnUrl.searchParams.keys()]).toEqual(['ref']);
		expect(returnUrl.searchParams.get('ref')).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(String(wire.return_url)).not.toContain(body.merchantOrderNo);
		// Another till cannot see or reopen it.
		const theirs = await as(createCheckout, '/api/rails/codepay-link/checkouts', body, other);
		expect(theirs.status).toBe(404);
	});

	it('refuses what it cannot send: no staff, another rail, another currency', async () => {
		expect((await as(createCheckout, '/x', checkout(), { token: till.token })).status).toBe(401);
		const wrongCurrency = await as(createCheckout, '/x', checkout({ currency: 'EUR' }));
		expect(wrongCurrency).toMatchObject({ status: 400, body: { error: 'wrong_currency' } });
		const unknown = await as(createCheckout, '/x', checkout({ terminalId: 'cloud-1' }));
		expect(unknown.status).toBe(404);
		const bad = await as(createCheckout, '/x', checkout({ lines: [{ name: '' }] }));
		expect(bad.status).toBe(400);
	});

	it('settles from the verified notification once; a duplicate or a forged one changes nothing', async () => {
		const { body, order } = await open();
		const no = body.merchantOrderNo;
		const paidPage = await press(order.payUrl, 'pay');
		expect(paidPage.status).toBe(303);
		const settled = await until(
			() => stateOf(no),
			(o) => o.state === 'approved'
		);
		expect(settled.outcome).toMatchObject({ status: 'approved', amount: 1234 });
		const delivered = (await until(
			async () => gw.sim.notifications().find((x) => x.merchantOrderNo === no),
			(x) => x !== undefined
		))!;
		expect(delivered.answer).toBe('success');
		const events = (await eventsOf(no)).length;
		// The same notification again (the gateway retries): `success`, nothing new.
		expect(await notify(delivered.body)).toEqual({ status: 200, text: 'success' });
		// A forged one (the amount changed after signing): refused.
		const forged = delivered.body.replace('"order_amount":"12.34"', '"order_amount":"1.00"');
		expect(forged).not.toBe(delivered.body);
		expect((await notify(forged)).status).toBe(400);
		expect((await eventsOf(no)).length).toBe(events);
		expect((await stateOf(no)).state).toBe('approved');
	});

	it('does not believe a notification of another amount: a signed query settles it', async () => {
		gw.sim.setFaults({ amountMismatch: true });
		const { body, order } = await open();
		const no = body.merchantOrderNo;
		await press(order.payUrl, 'pay');
		const settled = await until(
			() => stateOf(no),
			(o) => o.state === 'approved'
		);
		const told = gw.sim.notifications().find((x) => x.merchantOrderNo === no);
		expect(JSON.parse(told?.body ?? '{}').order_amount).toBe('13.34');
		// What the order holds is the query's own amount, not the notification's.
		expect(request(no, 'order.query').length).toBeGreaterThan(0);
		expect(settled.outcome).toMatchObject({ status: 'approved', amount: 1234 });
	}, 15_000);

	it('answers a return before the notification by a signed query, and a replay changes nothing', async () => {
		gw.sim.setFaults({ noNotification: true });
		const { body, order } = await open();
		const no = body.merchantOrderNo;
		const ref = refOf(no);
		expect((await lookup(ref)).body).toMatchObject({ status: 'confirming', amount: 1234 });
		const redirect = await press(order.payUrl, 'pay');
		const back = new URL(redirect.headers.get('location') ?? '');
		// The simulator adds parameters of its own to the return; the POS only reads `ref`.
		expect(back.searchParams.get('trans_status')).toBe('2');
		expect(back.searchParams.get('ref')).toBe(ref);
		await new Promise((r) => setTimeout(r, 2_100)); // past the per-order query gap
		const mine = await lookup(ref, till);
		expect(mine.body).toMatchObject({
			status: 'paid',
			yours: true,
			merchantOrderNo: no,
			amount: 1234,
			currency: 'USD'
		});
		expect((await stateOf(no)).state).toBe('approved');
		const events = (await eventsOf(no)).length;
		const queries = request(no, 'order.query').length;
		const replay = await lookup(ref, till);
		expect(replay.body.status).toBe('paid');
		// Final: answered from the store, with no further query and no new event.
		expect(request(no, 'order.query').length).toBe(queries);
		expect((await eventsOf(no)).length).toBe(events);
		// Another till, or the customer's phone: the status, not whose or which order.
		const theirs = await lookup(ref, other);
		expect(theirs.body).toEqual({
			status: 'paid',
			amount: 1234,
			currency: 'USD',
			expiresAt: expect.any(Number),
			yours: false
		});
		const phone = await lookup(ref, {});
		expect(phone.status).toBe(200);
		expect(phone.body.merchantOrderNo).toBeUndefined();
	}, 15_000);

	it('knows no forged reference', async () => {
		const { body } = await open();
		const ref = refOf(body.merchantOrderNo);
		const flipped = (ref[0] === 'A' ? 'B' : 'A') + ref.slice(1);
		expect((await lookup(flipped, till)).status).toBe(404);
		expect((await lookup(body.merchantOrderNo, till)).status).toBe(404);
		expect((await lookup('x'.repeat(43), till)).status).toBe(404);
	});

	it('a failed payment shows as failed', async () => {
		const { body, order } = await open();
		await press(order.payUrl, 'fail');
		const failed = await until(
			() => stateOf(body.merchantOrderNo),
			(o) => o.state === 'declined'
		);
		expect(failed.outcome.status).toBe('declined');
		const queried = await as(
			(r, e) => queryCloudOrder(r, e, body.merchantOrderNo),
			`/api/rails/codepay-link/orders/${body.merchantOrderNo}/query`,
			{}
		);
		expect(queried.body.order).toMatchObject({ state: 'declined', payUrl: order.payUrl });
		expect((await lookup(refOf(body.merchantOrderNo))).body.status).toBe('failed');
	});

	it('closes at its expiry on a PayCloud-branded gateway', async () => {
		const { body } = await open({ terminalId: 'link-short' });
		const no = body.merchantOrderNo;
		expect(request(no, 'pay.paycloud.checkout')).toHaveLength(1);
		expect(request(no, 'pay.checkout')).toHaveLength(0);
		const closed = await until(
			async () => {
				await new Promise((r) => setTimeout(r, 100));
				return stateOf(no);
			},
			(o) => o.state !== 'sent'
		);
		expect(closed.state).toBe('declined');
		expect((await lookup(refOf(no))).body.status).toBe('expired');
	}, 20_000);

	it('cancels an unpaid link by order.revoker, and never revokes a payment', async () => {
		gw.sim.setFaults({ noNotification: true });
		const first = await open();
		const cancelled = await as(
			(r, e) => cancelHostedOrder(r, e, first.body.merchantOrderNo),
			'/x',
			{}
		);
		expect(cancelled.body.order.state).toBe('cancelled');
		expect(request(first.body.merchantOrderNo, 'order.revoker')).toHaveLength(1);
		const page = await (await fetch(first.order.payUrl)).text();
		expect(page).toContain('Cancelled');

		const second = await open();
		await press(second.order.payUrl, 'pay');
		const after = await as(
			(r, e) => cancelHostedOrder(r, e, second.body.merchantOrderNo),
			'/x',
			{}
		);
		expect(after.body.order.state).toBe('approved');
		expect(request(second.body.merchantOrderNo, 'order.revoker')).toHaveLength(0);
		// Not another till's to cancel.
		const theirs = await as(
			(r, e) => cancelHostedOrder(r, e, second.body.merchantOrderNo),
			'/x',
			{},
			other
		);
		expect(theirs.status).toBe(404);
	});

	it('refunds up to what is left, on a manager approval for exactly that refund', async () => {
		const { body, order } = await open({ amount: 1000, lines: [] });
		const orig = body.merchantOrderNo;
		await press(order.payUrl, 'pay');
		await until(
			() => stateOf(orig),
			(o) => o.state === 'approved'
		);
		const refund = (amount: number, extra: Record<string, unknown> = {}) => ({
			terminalId: 'link-1',
			attemptId: `ra-${++n}`,
			merchantOrderNo: `R${backend.name}${Date.now()}${n}`,
			origMerchantOrderNo: orig,
			amount,
			currency: 'USD',
			...extra
		});
		const approve = async (amount: number) =>
			(
				await as(managerApproval, '/api/auth/manager', {
					pin: '9999',
					action: 'refund',
					orderId: 'order-1',
					origAttemptId: 'att-orig',
					origMerchantOrderNo: orig,
					amount
				})
			).body.approvalId as string;
		expect((await as(refundHostedOrder, '/x', refund(400))).status).toBe(403);
		const approvalId = await approve(400);
		const first = refund(400, { approvalId });
		const ok = await as(refundHostedOrder, '/x', first);
		expect(ok).toMatchObject({
			status: 200,
			body: { created: true, order: { kind: 'refund', state: 'approved' } }
		});
		expect(request(first.merchantOrderNo, 'order.refund.submit')[0]).toMatchObject({
			orig_merchant_order_no: orig,
			order_amount: 4,
			price_currency: 'USD'
		});
		expect(request(first.merchantOrderNo, 'order.refund.query')).toHaveLength(1);
		// 600 left: 700 is refused before any approval is used.
		const spare = await approve(700);
		const over = await as(refundHostedOrder, '/x', refund(700, { approvalId: spare }));
		expect(over).toMatchObject({ status: 409, body: { error: 'over_refund' } });
		expect((await store.getApproval(spare))?.usedByAttemptId ?? null).toBeNull();
		const rest = await approve(600);
		const last = await as(refundHostedOrder, '/x', refund(600, { approvalId: rest }));
		expect(last.body.order.state).toBe('approved');
		const nothingLeft = await as(
			refundHostedOrder,
			'/x',
			refund(1, { approvalId: await approve(1) })
		);
		expect(nothingLeft.status).toBe(409);
		// Another till's payment is not this till's to refund.
		const theirs = await as(refundHostedOrder, '/x', refund(100), other);
		expect(theirs.status).toBe(404);
	}, 15_000);
});
