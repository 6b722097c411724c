/**
 * The till's CodePay cloud routes over a real store and the gateway simulator: staff sign-in
 * needed, one push per merchant_order_no, refunds only with a manager approval for exactly that
 * refund (used once), another till's order invisible, a forged notification refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudRail } from '../codepay-cloud/cloud-rail';
import { CodePayGateway } from '../codepay-cloud/gateway-client';
import { startTestGateway, type TestGateway } from '../codepay-cloud/test-gateway';
import type { Runtime } from '../runtime';
import type { SqlStore } from '../store/sql-store';
import { testBackends } from '../store/test-stores';
import {
	cancelCloudOrder,
	cloudNotification,
	getCloudOrder,
	pushCloudOrder,
	queryCloudOrder
} from './codepay-cloud';
import { cloudEvents } from './codepay-cloud-events';
import { adjustCloudTip, closeCloudBatch } from './codepay-cloud-extras';
import { guardApi } from '../auth/guard';
import { managerApproval } from './manager-approval';
import { staffLogin } from './staff-login';
import { call, pairTill, testConfigFile, testRuntime, type Handler } from './test-harness';

describe.each(testBackends)('cloud routes on $name', (backend) => {
	let gw: TestGateway;
	let store: SqlStore;
	let rt: Runtime;
	let token: string;
	let session: string;
	let n = 0;
	const clock = { now: Date.now() };

	beforeAll(async () => {
		gw = await startTestGateway(100);
		gw.sim.setFaults({ noNotification: true });
		({ store } = await backend.open());
		const file = await testConfigFile({
			terminals: [
				{
					id: 'cloud-1',
					name: 'Cloud terminal',
					rail: 'codepay-cloud',
					currency: 'USD',
					params: { terminalSn: 'WPYB002248000865', storeNo: '4123000005' }
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
		rt = { ...base, codepayCloud: { configured: true, rail } };
		({ token } = await pairTill(rt));
		session = (await call(rt, staffLogin, '/api/auth/login', { body: { pin: '1111' }, token })).body
			.sessionToken;
	}, 60_000);

	afterAll(async () => {
		await gw?.sim.close();
		await store?.close();
	});

	const as = (handler: Handler, path: string, body?: unknown, who = { token, session }) =>
		call(rt, handler, path, { body, method: body === undefined ? 'GET' : 'POST', ...who });
	const sale = () => ({
		terminalId: 'cloud-1',
		attemptId: `att-${backend.name}-${++n}`,
		merchantOrderNo: `TS${backend.name}${Date.now()}${n}`,
		kind: 'sale',
		amount: 2000,
		tip: 0,
		currency: 'USD'
	});
	const paid = async (no: string) => {
		for (;;) {
			const res = await call(rt, (r, e) => queryCloudOrder(r, e, no), `/x`, {
				method: 'POST',
				token,
				session
			});
			if (res.body.order.state === 'approved') return res.body.order;
			await new Promise((r) => setTimeout(r, 50));
		}
	};

	it('says clearly when the rail is not configured', async () => {
		const bare = {
			...rt,
			codepayCloud: { configured: false as const, missing: ['CODEPAY_APP_ID'] }
		};
		const res = await call(bare, pushCloudOrder, '/api/rails/codepay-cloud/orders', {
			body: sale(),
			token,
			session
		});
		expect(res).toMatchObject({ status: 409, body: { error: 'cloud_not_configured' } });
		expect(res.body.message).toContain('CODEPAY_APP_ID');
	});

	it('needs a signed-in staff member, and pushes one order once', async () => {
		const body = sale();
		const anonymous = await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', body, {
			token,
			session: ''
		});
		expect(anonymous.status).toBe(401);
		const first = await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', body);
		expect(first).toMatchObject({ status: 200, body: { created: true, order: { state: 'sent' } } });
		const again = await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', body);
		expect(again.body.created).toBe(false);
		const pushes = gw.sim
			.requests()
			.filter(
				(r) =>
					r.merchant_order_no === body.merchantOrderNo && r.method === 'wisehub.cloud.pay.order'
			);
		expect(pushes).toHaveLength(1);
		expect((await paid(body.merchantOrderNo)).outcome).toMatchObject({
			status: 'approved',
			amount: 2000
		});
	});

	it('refunds only with a manager approval for exactly that refund, once', async () => {
		const original = sale();
		await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', original);
		await paid(original.merchantOrderNo);
		const refund = {
			...sale(),
			kind: 'refund',
			amount: 500,
			orderId: 'order-1',
			origMerchantOrderNo: original.merchantOrderNo
		};
		expect((await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', refund)).status).toBe(403);
		const approve = async (amount: number) =>
			(
				await as(managerApproval, '/api/auth/manager', {
					pin: '9999',
					action: 'refund',
					orderId: 'order-1',
					origAttemptId: 'att-orig',
					origMerchantOrderNo: original.merchantOrderNo,
					amount
				})
			).body.approvalId as string;
		const wrongAmount = await approve(600);
		const refused = await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', {
			...refund,
			approvalId: wrongAmount
		});
		expect(refused).toMatchObject({ status: 403, body: { error: 'approval_required' } });
		const approvalId = await approve(500);
		const ok = await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', {
			...refund,
			approvalId
		});
		expect(ok).toMatchObject({ status: 200, body: { created: true } });
		const pushed = gw.sim.requests().find((r) => r.merchant_order_no === refund.merchantOrderNo);
		expect(pushed).toMatchObject({
			trans_type: 3,
			order_amount: 5,
			orig_merchant_order_no: original.merchantOrderNo
		});
		const reuse = await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', {
			...sale(),
			...refund,
			attemptId: 'other',
			merchantOrderNo: `R${Date.now()}`,
			approvalId
		});
		expect(reuse.status).toBe(403);
		expect((await store.getApproval(approvalId))?.usedByAttemptId).toBe(refund.attemptId);

		// The driver names no approval: the server claims the one the manager gave for this refund.
		const claimable = await approve(300);
		const second = {
			...sale(),
			kind: 'refund',
			amount: 300,
			origMerchantOrderNo: original.merchantOrderNo
		};
		expect((await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', second)).status).toBe(200);
		expect((await store.getApproval(claimable))?.relayMerchantOrderNo).toBe(second.merchantOrderNo);
		const third = {
			...sale(),
			kind: 'refund',
			amount: 300,
			origMerchantOrderNo: original.merchantOrderNo
		};
		expect((await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', third)).status).toBe(403);
	});

	it('holds an amount, charges the hold, and releases one only on an approval', async () => {
		const hold = { ...sale(), kind: 'preauth', amount: 5000 };
		await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', hold);
		await paid(hold.merchantOrderNo);
		const complete = {
			...sale(),
			kind: 'preauth_completion',
			amount: 4200,
			origMerchantOrderNo: hold.merchantOrderNo
		};
		expect((await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', complete)).status).toBe(
			200
		);
		const sent = gw.sim.requests().filter((r) => r.method === 'wisehub.cloud.pay.order');
		expect(sent.find((r) => r.merchant_order_no === hold.merchantOrderNo)).toMatchObject({
			trans_type: 4,
			order_amount: 50
		});
		expect(sent.find((r) => r.merchant_order_no === complete.merchantOrderNo)).toMatchObject({
			trans_type: 6,
			order_amount: 42,
			orig_merchant_order_no: hold.merchantOrderNo
		});
		const release = {
			...sale(),
			kind: 'preauth_cancel',
			amount: 5000,
			origMerchantOrderNo: hold.merchantOrderNo
		};
		expect((await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', release)).status).toBe(403);
		const orphan = { ...sale(), kind: 'preauth_completion', amount: 100 };
		expect((await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', orphan)).status).toBe(400);
	});

	it("keeps another till's orders from it", async () => {
		const body = sale();
		await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', body);
		const other = await pairTill(rt, 'Other till', '10.0.0.2');
		const otherSession = (
			await call(rt, staffLogin, '/api/auth/login', {
				body: { pin: '1111' },
				token: other.token,
				ip: '10.0.0.2'
			})
		).body.sessionToken;
		const who = { token: other.token, session: otherSession };
		const read = await call(rt, (r, e) => getCloudOrder(r, e, body.merchantOrderNo), '/x', who);
		expect(read.status).toBe(404);
		const cancel = await call(rt, (r, e) => cancelCloudOrder(r, e, body.merchantOrderNo), '/x', {
			...who,
			method: 'POST'
		});
		expect(cancel.status).toBe(404);
		const pushAgain = await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', body, who);
		expect(pushAgain.status).toBe(404);
	});

	it("streams the changes of this till's orders, and resumes after the last id it saw", async () => {
		const open = async (lastId?: string) => {
			const headers = new Headers({ authorization: `Bearer ${token}` });
			if (lastId) headers.set('last-event-id', lastId);
			const abort = new AbortController();
			const request = new Request('http://pos.test/api/rails/codepay-cloud/events', {
				headers,
				signal: abort.signal
			});
			const guard = await guardApi(rt, '/api/rails/codepay-cloud/events', headers);
			if (guard.response) throw new Error('not let in');
			const response = await cloudEvents(rt, {
				request,
				url: new URL(request.url),
				locals: { device: guard.caller.device, staff: null },
				getClientAddress: () => '10.0.0.1'
			});
			expect(response.headers.get('content-type')).toContain('text/event-stream');
			const reader = response.body!.getReader();
			const decoder = new TextDecoder();
			let text = '';
			return {
				/** Reads until `count` order events for `no` arrived; returns them with their ids. */
				async until(no: string, count: number) {
					for (;;) {
						const events = [...text.matchAll(/id: (\d+)\nevent: order\ndata: (.*)\n/g)]
							.map((m) => ({ id: m[1]!, data: JSON.parse(m[2]!) }))
							.filter((e) => e.data.merchantOrderNo === no);
						if (events.length >= count) return events;
						const { value } = await reader.read();
						text += decoder.decode(value, { stream: true });
					}
				},
				close: () => reader.cancel()
			};
		};
		const first = await open();
		const body = sale();
		await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', body);
		const seen = await first.until(body.merchantOrderNo, 2);
		expect(seen.map((e) => e.data.state)).toEqual(['sending', 'sent']);
		await first.close();
		// Dropped before the payment: the reconnect brings what happened meanwhile.
		await paid(body.merchantOrderNo);
		const second = await open(seen[1]!.id);
		const resumed = await second.until(body.merchantOrderNo, 1);
		expect(resumed[0]!.data).toMatchObject({
			state: 'approved',
			outcome: { status: 'approved', amount: 2000 }
		});
		await second.close();
	});

	it('adjusts the tip of an approved sale only, and closes a batch only on an approval', async () => {
		const body = sale();
		await as(pushCloudOrder, '/api/rails/codepay-cloud/orders', body);
		const tip = (no: string, cents: number) =>
			call(rt, (r, e) => adjustCloudTip(r, e, no), '/x', { body: { tip: cents }, token, session });
		await paid(body.merchantOrderNo);
		expect((await tip(body.merchantOrderNo, 150)).body.outcome).toMatchObject({
			status: 'approved',
			tip: 150
		});
		expect(
			gw.sim.orders().find((o) => o.merchant_order_no === body.merchantOrderNo)?.tip_amount
		).toBe('1.50');
		expect((await tip('NOSUCHORDER', 150)).status).toBe(404);

		const close = () =>
			as(closeCloudBatch, '/api/rails/codepay-cloud/batch-close', { terminalId: 'cloud-1' });
		const closes = () => gw.sim.requests().filter((r) => r.method === 'batch.close').length;
		const before = closes();
		expect((await close()).status).toBe(403);
		await as(managerApproval, '/api/auth/manager', {
			pin: '9999',
			action: 'batch_close',
			terminalId: 'cloud-1'
		});
		expect((await close()).body).toEqual({ closed: true, code: '0' });
		expect((await close()).status).toBe(403);
		expect(closes() - before).toBe(1);
	});

	it('answers a forged notification 400 in plain text', async () => {
		const request = new Request('http://pos.test/api/notify/codepay-cloud', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				merchant_order_no: 'X',
				trans_status: 2,
				price_currency: 'USD',
				sign: 'AAAA'
			})
		});
		const response = await cloudNotification(rt, {
			request,
			url: new URL(request.url),
			locals: { device: null, staff: null },
			getClientAddress: () => '10.0.0.9'
		});
		expect(response.status).toBe(400);
		expect(await response.text()).toBe('bad_signature');
	});
});
