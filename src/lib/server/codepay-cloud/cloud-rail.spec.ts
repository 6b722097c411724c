/**
 * The server's cloud rail against the gateway simulator, on PGlite and on a real PostgreSQL: a
 * sale settled by notification, duplicates and a second push that send nothing more, an answer
 * with a bad signature that stays unknown until a signed query settles it, forged, stale and
 * wrong-amount notifications that change nothing, a cancel, a late "in progress", and the poller
 * that two instances run once per order.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalConfig } from '$lib/terminals/driver';
import type { SqlStore } from '../store/sql-store';
import { testBackends } from '../store/test-stores';
import { CloudRail, type PushInput } from './cloud-rail';
import { CodePayGateway } from './gateway-client';
import { startTestGateway, until, type TestGateway } from './test-gateway';

const terminal: TerminalConfig = {
	id: 'cloud-1',
	name: 'Cloud',
	rail: 'codepay-cloud',
	currency: 'USD',
	params: { terminalSn: 'WPYB002248000865', storeNo: '4123000005' }
};

describe.each(testBackends)('the cloud rail on $name', (backend) => {
	let gw: TestGateway;
	let store: SqlStore;
	let another: (() => Promise<SqlStore>) | undefined;
	let rail: CloudRail;
	let notifyServer: Server;
	let notifyUrl: string;
	let n = 0;

	const makeRail = (s: SqlStore) =>
		new CloudRail({
			gateway: new CodePayGateway(gw.credentials, { log: () => {} }),
			gatewayPublicKey: gw.credentials.gatewayPublicKey,
			store: s,
			terminals: [terminal],
			now: Date.now,
			log: () => {}
		});

	beforeAll(async () => {
		gw = await startTestGateway(150);
		({ store, another } = await backend.open());
		rail = makeRail(store);
		notifyServer = createServer(async (request, response) => {
			let text = '';
			for await (const chunk of request) text += chunk;
			const answer = await rail.notification(text);
			response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
		});
		await new Promise<void>((resolve) => notifyServer.listen(0, '127.0.0.1', resolve));
		notifyUrl = `http://127.0.0.1:${(notifyServer.address() as AddressInfo).port}/notify`;
	}, 60_000);

	afterAll(async () => {
		await gw?.sim.close();
		notifyServer?.close();
		await store?.close();
	});

	beforeEach(() => {
		gw.sim.setFaults({
			badResponseSignature: false,
			noNotification: false,
			notificationCopies: 1,
			amountMismatch: false,
			staleNotification: false,
			outOfOrder: false
		});
	});

	const sale = (overrides: Partial<PushInput> = {}): PushInput => ({
		deviceId: 'dev-1',
		terminal,
		merchantOrderNo: `${backend.name}${Date.now()}${++n}`,
		kind: 'sale',
		amount: 1250,
		tip: 0,
		currency: 'USD',
		tipOnTerminal: false,
		notifyUrl,
		...overrides
	});
	const pushesOf = (no: string) =>
		gw.sim
			.requests()
			.filter((r) => r.method === 'wisehub.cloud.pay.order' && r.merchant_order_no === no);
	const settled = async (no: string) => {
		const order = await until(
			() => store.cloudOrders.get(no),
			(o) => o !== null && !['sending', 'sent', 'unknown'].includes(o.state)
		);
		if (!order) throw new Error('no order');
		return order;
	};

	it('settles a sale from its notification, once, and never pushes one order twice', async () => {
		gw.sim.setFaults({ notificationCopies: 3 });
		const input = sale();
		const first = await rail.push(input);
		expect(first).toMatchObject({ created: true, order: { state: 'sent' } });
		const again = await rail.push(input);
		expect(again.created).toBe(false);
		expect(pushesOf(input.merchantOrderNo)).toHaveLength(1);
		expect(pushesOf(input.merchantOrderNo)[0]).toMatchObject({ order_amount: 12.5, trans_type: 1 });
		const done = await settled(input.merchantOrderNo);
		expect(done.state).toBe('approved');
		expect(done.outcome).toMatchObject({ status: 'approved', amount: 1250, cardBrand: 'Visa' });
		await until(
			async () => gw.sim.notifications().filter((x) => x.merchantOrderNo === input.merchantOrderNo),
			(list) => list.length === 3
		);
		const notes = gw.sim.notifications().filter((x) => x.merchantOrderNo === input.merchantOrderNo);
		expect(notes.every((x) => x.answer === 'success')).toBe(true);
		const events = await store.cloudOrders.eventsAfter('dev-1', 0, 1000);
		expect(
			events.filter((e) => e.merchantOrderNo === input.merchantOrderNo).map((e) => e.state)
		).toEqual(['sending', 'sent', 'approved']);
	});

	it("a tip chosen on the terminal comes back as the sale's tip; without on-screen tip, none", async () => {
		gw.sim.setFaults({ screenTipPercent: 20 });
		const tipped = sale({ amount: 1000, tipOnTerminal: true });
		await rail.push(tipped);
		expect(pushesOf(tipped.merchantOrderNo)[0]).toMatchObject({
			order_amount: 10,
			on_screen_tip: true
		});
		expect((await settled(tipped.merchantOrderNo)).outcome).toMatchObject({
			status: 'approved',
			amount: 1000,
			tip: 200
		});
		const plain = sale({ amount: 1000 });
		await rail.push(plain);
		expect(pushesOf(plain.merchantOrderNo)[0]).toMatchObject({ on_screen_tip: false });
		expect((await settled(plain.merchantOrderNo)).outcome).toMatchObject({ amount: 1000, tip: 0 });
		gw.sim.setFaults({ screenTipPercent: 15 });
	});

	it('takes a decline and a cancel on the terminal from their notifications', async () => {
		gw.sim.setFaults({ decline: true });
		const declined = sale();
		await rail.push(declined);
		const refused = await settled(declined.merchantOrderNo);
		gw.sim.setFaults({ decline: false });
		expect(refused).toMatchObject({
			state: 'declined',
			outcome: { status: 'declined', message: '[051]DECLINED' }
		});
		gw.sim.setFaults({ cancelOnTerminal: true });
		const cancelled = sale();
		await rail.push(cancelled);
		const done = await settled(cancelled.merchantOrderNo);
		gw.sim.setFaults({ cancelOnTerminal: false });
		expect(done.state).toBe('cancelled');
	});

	it('keeps a wrongly signed answer unknown until a signed query settles it', async () => {
		gw.sim.setFaults({ badResponseSignature: true, noNotification: true });
		const input = sale();
		const pushed = await rail.push(input);
		expect(pushed.order.state).toBe('unknown');
		await until(
			async () => gw.sim.orders().find((o) => o.merchant_order_no === input.merchantOrderNo),
			(o) => o?.trans_status === 2
		);
		// The gateway has approved it, but its answers still do not verify: not believed.
		expect((await rail.query(input.merchantOrderNo))?.state).toBe('unknown');
		gw.sim.setFaults({ badResponseSignature: false });
		expect((await rail.query(input.merchantOrderNo))?.state).toBe('approved');
	});

	it('answers a forged or stale notification 400 and changes nothing', async () => {
		gw.sim.setFaults({ noNotification: true });
		const input = sale();
		await rail.push(input);
		const forged = JSON.stringify({
			merchant_order_no: input.merchantOrderNo,
			trans_status: 2,
			price_currency: 'USD',
			order_amount: '12.50',
			timestamp: String(Date.now()),
			sign: 'AAAA'
		});
		expect(await rail.notification(forged)).toEqual({ status: 400, body: 'bad_signature' });
		const unsigned = JSON.stringify({ ...JSON.parse(forged), sign: undefined });
		expect((await rail.notification(unsigned)).status).toBe(400);
		expect((await store.cloudOrders.get(input.merchantOrderNo))?.state).toBe('sent');

		gw.sim.setFaults({ noNotification: false, staleNotification: true });
		const stale = sale();
		await rail.push(stale);
		await until(
			async () => gw.sim.notifications().find((x) => x.merchantOrderNo === stale.merchantOrderNo),
			Boolean
		);
		expect(
			gw.sim.notifications().find((x) => x.merchantOrderNo === stale.merchantOrderNo)?.answer
		).toBe('stale');
		expect((await store.cloudOrders.get(stale.merchantOrderNo))?.state).toBe('sent');
	});

	it('does not settle from a notification with another amount', async () => {
		gw.sim.setFaults({ amountMismatch: true });
		const input = sale();
		await rail.push(input);
		await until(
			async () => gw.sim.notifications().find((x) => x.merchantOrderNo === input.merchantOrderNo),
			Boolean
		);
		// Not settled from the notification's fields (13.50): from the signed query it triggered.
		const order = await settled(input.merchantOrderNo);
		expect(order.outcome).toMatchObject({ status: 'approved', amount: 1250 });
		const asked = gw.sim
			.requests()
			.filter((r) => r.method === 'order.query' && r.merchant_order_no === input.merchantOrderNo);
		expect(asked.length).toBeGreaterThan(0);
	});

	it('never goes back: a late "in progress" after the payment changes nothing', async () => {
		gw.sim.setFaults({ outOfOrder: true });
		const input = sale();
		await rail.push(input);
		await settled(input.merchantOrderNo);
		await until(
			async () => gw.sim.notifications().filter((x) => x.merchantOrderNo === input.merchantOrderNo),
			(l) => l.length === 2
		);
		expect((await store.cloudOrders.get(input.merchantOrderNo))?.state).toBe('approved');
	});

	it('cancels an order the terminal is still waiting on', async () => {
		gw.sim.setFaults({ noNotification: true });
		const input = sale();
		await rail.push(input);
		expect((await rail.cancel(input.merchantOrderNo))?.state).toBe('cancelled');
		const close = gw.sim
			.requests()
			.find(
				(r) =>
					r.method === 'wisehub.cloud.pay.close' && r.merchant_order_no === input.merchantOrderNo
			);
		expect(close).toMatchObject({ terminal_sn: 'WPYB002248000865', sign_type: 'RSA2' });
	});

	it('a notification taken by one instance is in the changes another instance streams', async () => {
		const other = another ? await another() : store;
		const from = await other.cloudOrders.latestEventId('dev-1');
		const input = sale();
		await rail.push(input);
		await settled(input.merchantOrderNo);
		const seen = await other.cloudOrders.eventsAfter('dev-1', from);
		expect(
			seen.filter((e) => e.merchantOrderNo === input.merchantOrderNo).map((e) => e.state)
		).toEqual(['sending', 'sent', 'approved']);
		// A till that reconnects after the second change gets the rest, and only that.
		const mine = seen.filter((e) => e.merchantOrderNo === input.merchantOrderNo);
		const resumed = (await other.cloudOrders.eventsAfter('dev-1', mine[1]!.id)).filter(
			(e) => e.merchantOrderNo === input.merchantOrderNo
		);
		expect(resumed.map((e) => e.state)).toEqual(['approved']);
		expect(resumed[0]?.outcome).toMatchObject({ status: 'approved', amount: 1250 });
	});

	it('takes an order the gateway never heard of as not sent only once it could not be paid', async () => {
		const record = (no: string, expiresAt: number) =>
			store.cloudOrders.create({
				merchantOrderNo: no,
				deviceId: 'dev-1',
				terminalId: terminal.id,
				kind: 'sale',
				amount: 100,
				tip: 0,
				currency: 'USD',
				origMerchantOrderNo: null,
				expiresAt,
				nextPollAt: Date.now() + 60_000,
				createdAt: Date.now()
			});
		// Recorded, its push perhaps still on the way (say, from another instance).
		const inFlight = `${backend.name}F${Date.now()}`;
		await record(inFlight, Date.now() + 60_000);
		expect((await rail.query(inFlight))?.state).toBe('sending');
		// Recorded by an instance that died before pushing, and long expired.
		const lost = `${backend.name}L${Date.now()}`;
		await record(lost, Date.now() - 1);
		expect(await rail.query(lost)).toMatchObject({
			state: 'failed',
			outcome: { status: 'declined' }
		});
	});

	it('polls an order no notification settled, once per order across instances', async () => {
		gw.sim.setFaults({ noNotification: true });
		const input = sale();
		await rail.push(input);
		await until(
			async () => gw.sim.orders().find((o) => o.merchant_order_no === input.merchantOrderNo),
			(o) => o?.trans_status === 2
		);
		const second = another ? makeRail(await another()) : rail;
		// Make it due now, then let both instances poll at once.
		await store.cloudOrders.schedulePoll(input.merchantOrderNo, 0);
		const queries = () =>
			gw.sim
				.requests()
				.filter((r) => r.method === 'order.query' && r.merchant_order_no === input.merchantOrderNo)
				.length;
		const before = queries();
		await Promise.all([rail.pollDue(), second.pollDue()]);
		expect(queries() - before).toBe(1);
		expect((await store.cloudOrders.get(input.merchantOrderNo))?.state).toBe('approved');
	});
});
