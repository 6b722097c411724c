import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	startCodePaySimulator,
	type CodePaySimulator
} from '../../../../simulators/codepay-register/server.js';
import { TerminalError, type TerminalEvent } from '../driver';
import type { LanLogger } from './client';
import { CodePayLanDriver, testConnection, type LanDriverDeps } from './lan-driver';

const APP_ID = 'APP0001';
let sim: CodePaySimulator;
let driver: CodePayLanDriver | undefined;
let warnings: string[];
let events: TerminalEvent[];
let seq = 0;

const logger: LanLogger = { debug: () => {}, warn: (message) => warnings.push(message) };
const orderNo = (prefix = 'S') => `${prefix}${Date.now()}${++seq}`;

async function start(
	params: Record<string, string | number | boolean> = {},
	deps: LanDriverDeps = {},
	currency = 'USD'
): Promise<CodePayLanDriver> {
	driver = new CodePayLanDriver(
		{
			id: 'till-1',
			currency,
			params: { host: '127.0.0.1', port: sim.port, appId: APP_ID, ...params }
		},
		{
			WebSocketImpl: WebSocket,
			logger,
			heartbeatMs: 0,
			reconnect: { initialMs: 20, maxMs: 200 },
			...deps
		}
	);
	driver.on((event) => events.push(event));
	await driver.connect();
	return driver;
}

function until(predicate: () => boolean, ms = 2000): Promise<void> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const tick = () => {
			if (predicate()) resolve();
			else if (Date.now() - started > ms) reject(new Error('condition not met in time'));
			else setTimeout(tick, 5);
		};
		tick();
	});
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `ecrhub.pay.order` requests the terminal received for one order number. */
function orderRequests(no: string) {
	return sim
		.requests()
		.filter(
			(r) =>
				r.topic === 'ecrhub.pay.order' &&
				(r.biz_data as { merchant_order_no?: string }).merchant_order_no === no
		);
}

function sale(no: string, amount = 3450, tip = 0) {
	if (!driver) throw new Error('no driver');
	return driver.sale({ merchantOrderNo: no, amount, tip, currency: 'USD' });
}

async function rejection(promise: Promise<unknown>): Promise<TerminalError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	if (!(error instanceof TerminalError)) throw new Error(`expected a TerminalError, got ${error}`);
	return error;
}

beforeEach(async () => {
	warnings = [];
	events = [];
	sim = await startCodePaySimulator({ port: 0, cardMs: 20, appId: APP_ID });
});

afterEach(async () => {
	await driver?.disconnect();
	driver = undefined;
	await sim.close();
});

describe('CodePayLanDriver against the simulated terminal', () => {
	it('sells: correct request on the wire, approval with reference, card and amounts', async () => {
		await start();
		expect(driver?.status()).toBe('ready');
		const no = orderNo();
		const outcome = await sale(no, 3450, 500);

		const [request] = orderRequests(no);
		expect(request).toMatchObject({
			topic: 'ecrhub.pay.order',
			version: '1.0',
			app_id: APP_ID,
			biz_data: {
				trans_type: '1',
				merchant_order_no: no,
				order_amount: '34.50',
				tip_amount: '5.00',
				price_currency: 'USD'
			}
		});
		expect(request?.request_id).toEqual(expect.any(String));
		expect(request?.timestamp).toMatch(/^\d{13}$/);

		const [charged] = sim.salesFor(no);
		expect(outcome).toEqual({
			status: 'approved',
			code: '000',
			reference: charged?.trans_no,
			cardBrand: 'Visa',
			maskedCard: '411111******1111',
			authCode: charged?.auth_code,
			amount: 3950,
			tip: 500
		});
	});

	it('shows the terminal message on a decline', async () => {
		await start();
		sim.setFaults({ decline: true, declineMessage: 'Insufficient funds' });
		const outcome = await sale(orderNo());
		expect(outcome).toMatchObject({
			status: 'declined',
			message: 'Insufficient funds',
			code: '301'
		});
	});

	it('reports a customer cancel (110, empty biz_data) as cancelled', async () => {
		await start();
		sim.setFaults({ customerCancel: true });
		const outcome = await sale(orderNo());
		expect(outcome).toMatchObject({ status: 'cancelled', code: '110' });
	});

	it('accepts "0" as success', async () => {
		await start();
		sim.setFaults({ successCode: '0' });
		expect((await sale(orderNo())).status).toBe('approved');
	});

	it('cancels a sale waiting for the card with ecrhub.pay.close', async () => {
		await start();
		sim.setFaults({ slowMs: 2000 });
		const no = orderNo();
		const pending = sale(no);
		await until(() => orderRequests(no).length === 1);
		await driver?.cancel(no);
		expect(await pending).toMatchObject({ status: 'cancelled' });
		expect(sim.salesFor(no)).toHaveLength(0);
	});

	it('refuses a second sale while one is in flight, without sending it', async () => {
		await start();
		sim.setFaults({ slowMs: 200 });
		const first = sale(orderNo());
		await until(() => driver?.status() === 'busy');
		const second = orderNo();
		const error = await rejection(sale(second));
		expect(error).toMatchObject({ code: 'busy', mayHaveReachedTerminal: false });
		expect(orderRequests(second)).toHaveLength(0);
		expect((await first).status).toBe('approved');
		expect(driver?.status()).toBe('ready');
	});

	it('passes on the terminal refusing because another ECR is using it', async () => {
		await start();
		sim.setFaults({ busyWithOtherOrder: true });
		expect(await sale(orderNo())).toMatchObject({
			status: 'declined',
			message: 'The terminal is busy with another order'
		});
	});

	describe('connection dropped right after the approval', () => {
		it('throws "may have reached the terminal"; a later query answers approved; one charge', async () => {
			await start();
			sim.setFaults({ dropAfterApprove: true, redeliverOnReconnect: false });
			const no = orderNo();
			const error = await rejection(sale(no));
			expect(error).toMatchObject({ code: 'connection_lost', mayHaveReachedTerminal: true });
			expect(driver?.inDoubt().map((d) => d.merchantOrderNo)).toEqual([no]);

			await until(() => driver?.status() === 'ready');
			// The driver asks about the in-doubt order by itself and reports what it learns.
			await until(() => events.some((e) => e.type === 'result'));
			const results = events.filter((e) => e.type === 'result');
			expect(results).toEqual([
				{
					type: 'result',
					merchantOrderNo: no,
					outcome: expect.objectContaining({ status: 'approved', amount: 3450 })
				}
			]);
			expect(driver?.inDoubt()).toEqual([]);

			const queried = await driver?.query({
				merchantOrderNo: no,
				kind: 'sale',
				amount: 3450,
				currency: 'USD'
			});
			expect(queried).toMatchObject({
				status: 'approved',
				amount: 3450,
				maskedCard: '411111******1111'
			});
			expect(sim.salesFor(no)).toHaveLength(1);
			expect(orderRequests(no)).toHaveLength(1);
			expect(
				events.filter((e) => e.type === 'status').map((e) => e.type === 'status' && e.status)
			).toContain('reconnecting');
		});

		it('receives the re-delivered result as one unsolicited result event', async () => {
			await start();
			sim.setFaults({ dropAfterApprove: true, redeliverOnReconnect: true });
			const no = orderNo();
			const error = await rejection(sale(no));
			expect(error.mayHaveReachedTerminal).toBe(true);
			await until(() => events.some((e) => e.type === 'result'));
			await delay(100); // room for a second, duplicate report to show up (it must not)
			const results = events.filter((e) => e.type === 'result');
			expect(results).toHaveLength(1);
			expect(results[0]).toMatchObject({
				merchantOrderNo: no,
				outcome: { status: 'approved', reference: sim.salesFor(no)[0]?.trans_no }
			});
			expect(sim.salesFor(no)).toHaveLength(1);
			expect(orderRequests(no)).toHaveLength(1);
		});

		it('asks instead of charging again when the same attempt is retried', async () => {
			await start();
			sim.setFaults({ dropAfterApprove: true, redeliverOnReconnect: false, slowMs: 0 });
			const no = orderNo();
			await rejection(sale(no));
			await until(() => driver?.status() === 'ready');
			const retried = await sale(no);
			expect(retried.status).toBe('approved');
			expect(orderRequests(no)).toHaveLength(1);
			expect(sim.salesFor(no)).toHaveLength(1);
		});
	});

	it('times out when the terminal never answers, leaving the order in doubt', async () => {
		await start({}, { timeouts: { sale: 150 } });
		sim.setFaults({ neverAnswer: true });
		const no = orderNo();
		const error = await rejection(sale(no));
		expect(error).toMatchObject({ code: 'timeout', mayHaveReachedTerminal: true });
		expect(driver?.inDoubt()).toEqual([
			{ merchantOrderNo: no, kind: 'sale', amount: 3450, currency: 'USD' }
		]);
	});

	it('sends no other sale while an earlier one is in doubt and still waiting for the card', async () => {
		await start({}, { timeouts: { sale: 150 } });
		sim.setFaults({ slowMs: 1500 });
		const first = orderNo('A');
		expect(await rejection(sale(first))).toMatchObject({ code: 'timeout' });
		const second = orderNo('B');
		const refused = await rejection(sale(second));
		expect(refused).toMatchObject({ code: 'busy', mayHaveReachedTerminal: false });
		expect(refused.message).toContain(first);
		expect(orderRequests(second)).toHaveLength(0);
		// Once the terminal has finished the first, the next sale goes through.
		await delay(1600);
		sim.setFaults({ slowMs: 0 });
		expect((await sale(second)).status).toBe('approved');
		expect(sim.salesFor(first)).toHaveLength(1);
		expect(orderRequests(second)).toHaveLength(1);
	});

	it('an earlier sale the terminal never received does not hold up the next one', async () => {
		await start({}, { timeouts: { sale: 150 } });
		sim.setFaults({ neverAnswer: true });
		const lost = orderNo('L');
		expect(await rejection(sale(lost))).toMatchObject({ code: 'timeout' });
		sim.setFaults({ neverAnswer: false });
		const next = orderNo('N');
		expect((await sale(next)).status).toBe('approved');
		// Still in doubt for the journal: the terminal only said it does not know it.
		expect(driver?.inDoubt().map((d) => d.merchantOrderNo)).toEqual([lost]);
	});

	describe('an order the terminal never received (issue 9)', () => {
		const query = (no: string) =>
			driver!.query({ merchantOrderNo: no, kind: 'sale', amount: 3450, currency: 'USD' });

		it('is only "not found" on the connection that carried it, and not charged on a new one', async () => {
			await start({}, { timeouts: { sale: 150 } });
			sim.setFaults({ loseOrders: true });
			const no = orderNo('L');
			expect(await rejection(sale(no))).toMatchObject({ code: 'timeout' });
			sim.setFaults({ loseOrders: false });
			// Same connection: the order may still be on its way; the terminal does not know it yet.
			expect(await query(no)).toMatchObject({
				status: 'unknown',
				finding: 'not_found',
				code: '104'
			});
			sim.dropConnections();
			await until(() => events.some((e) => e.type === 'status' && e.status === 'reconnecting'));
			await until(() => driver!.status() === 'ready');
			// Asked on a new connection after the one that carried it is gone: never received.
			expect(await query(no)).toEqual({
				status: 'cancelled',
				code: '104',
				finding: 'never_received',
				message: 'The terminal never received this payment: nothing was charged.'
			});
			expect(sim.salesFor(no)).toHaveLength(0);
		});

		it('is not charged when a driver that never sent it asks (the page that did is gone)', async () => {
			await start();
			const no = orderNo('G');
			expect(await query(no)).toMatchObject({ status: 'cancelled', finding: 'never_received' });
		});

		it('stays unknown in terminal confirmation mode, where an order may not be known yet', async () => {
			await start({ confirmOnTerminal: true });
			const no = orderNo('C');
			expect(await query(no)).toMatchObject({ status: 'unknown', finding: 'not_found' });
		});

		it('settles a real order from the terminal as before, on any connection', async () => {
			await start();
			const no = orderNo('R');
			expect((await sale(no)).status).toBe('approved');
			sim.dropConnections();
			await until(() => events.some((e) => e.type === 'status' && e.status === 'reconnecting'));
			await until(() => driver!.status() === 'ready');
			expect(await query(no)).toMatchObject({ status: 'approved' });
		});
	});

	it('ignores garbage and duplicate frames: no crash, no double settlement', async () => {
		await start();
		sim.setFaults({ garbageFrames: true, duplicateResponses: true });
		const first = orderNo();
		const second = orderNo();
		expect((await sale(first)).status).toBe('approved');
		expect(await sale(second, 1200)).toMatchObject({ status: 'approved', amount: 1200 });
		const outcome = await driver?.query({
			merchantOrderNo: second,
			kind: 'sale',
			amount: 1200,
			currency: 'USD'
		});
		expect(outcome).toMatchObject({ status: 'approved', amount: 1200 });
		await delay(50);
		expect(events.filter((e) => e.type === 'result')).toEqual([]);
		expect(warnings.length).toBeGreaterThan(0);
		expect(driver?.status()).toBe('ready');
		expect(sim.salesFor(first)).toHaveLength(1);
	});

	it('matches responses from firmware that does not echo request_id', async () => {
		await start();
		sim.setFaults({ omitRequestId: true });
		const no = orderNo();
		expect(await sale(no, 1000)).toMatchObject({ status: 'approved', amount: 1000 });
		expect(
			await driver?.query({ merchantOrderNo: no, kind: 'sale', amount: 1000, currency: 'USD' })
		).toMatchObject({ status: 'approved' });
		sim.setFaults({ customerCancel: true });
		expect(await sale(orderNo())).toMatchObject({ status: 'cancelled' });
	});

	it('refunds, voids, adjusts tips and closes the batch', async () => {
		const d = await start();
		const first = orderNo();
		const second = orderNo();
		await sale(first, 3450);
		await sale(second, 2000);

		expect(await d.tipAdjust({ merchantOrderNo: first, tip: 700, currency: 'USD' })).toMatchObject({
			status: 'approved',
			tip: 700,
			amount: 4150
		});
		expect(sim.transactions().find((t) => t.merchant_order_no === first)?.tip_amount).toBe(700);

		const refund = orderNo('R');
		expect(
			await d.refund({
				merchantOrderNo: refund,
				origMerchantOrderNo: second,
				amount: 500,
				currency: 'USD'
			})
		).toMatchObject({ status: 'approved', amount: 500 });
		expect(orderRequests(refund)[0]?.biz_data).toMatchObject({
			trans_type: '3',
			orig_merchant_order_no: second,
			order_amount: '5.00'
		});
		expect(
			await d.refund({
				merchantOrderNo: orderNo('R'),
				origMerchantOrderNo: second,
				amount: 1600,
				currency: 'USD'
			})
		).toMatchObject({ status: 'declined', message: expect.stringMatching(/exceeds/) });

		const voidNo = orderNo('V');
		expect(
			await d.void({
				merchantOrderNo: voidNo,
				origMerchantOrderNo: first,
				amount: 4150,
				currency: 'USD'
			})
		).toMatchObject({ status: 'approved' });
		expect(sim.transactions().find((t) => t.merchant_order_no === first)?.voided).toBe(true);

		const batch = await d.batchClose();
		expect(batch).toMatchObject({ closed: true, code: '000', count: 4, total: 1500 });
		expect(await d.tipAdjust({ merchantOrderNo: second, tip: 100, currency: 'USD' })).toMatchObject(
			{
				status: 'declined',
				message: expect.stringMatching(/batch is closed/)
			}
		);
	});

	it('runs pre-authorisation, completion and cashback sales', async () => {
		const d = await start();
		const auth = orderNo('P');
		expect(
			(await d.preAuth({ merchantOrderNo: auth, amount: 10000, tip: 0, currency: 'USD' })).status
		).toBe('approved');
		const done = orderNo('C');
		expect(
			(
				await d.preAuthComplete({
					merchantOrderNo: done,
					origMerchantOrderNo: auth,
					amount: 8000,
					currency: 'USD'
				})
			).status
		).toBe('approved');
		expect(orderRequests(done)[0]?.biz_data).toMatchObject({
			trans_type: '6',
			order_amount: '80.00'
		});
		const cash = orderNo('K');
		expect(
			await d.saleWithCashback({
				merchantOrderNo: cash,
				amount: 2000,
				tip: 0,
				cashback: 1000,
				currency: 'USD'
			})
		).toMatchObject({ status: 'approved', amount: 3000 });
		expect(orderRequests(cash)[0]?.biz_data).toMatchObject({
			trans_type: '11',
			cashback_amount: '10.00'
		});
	});

	it('asks for tips on screen when configured', async () => {
		await start({ tipMode: 'terminal' });
		const no = orderNo();
		expect(await sale(no, 2000)).toMatchObject({ status: 'approved', tip: 100, amount: 2100 });
		expect(orderRequests(no)[0]?.biz_data).toMatchObject({ on_screen_tip: true });
	});

	it('refuses fuel lines that do not add up, before sending anything', async () => {
		await sim.close();
		sim = await startCodePaySimulator({
			port: 0,
			cardMs: 20,
			appId: APP_ID,
			profile: 'wisecashier',
			currency: 'ZAR'
		});
		const d = await start({ profile: 'wisecashier' }, {}, 'ZAR');
		const forecourt = [{ code: '02', quantity: '20.000', amount: 3000 }];
		const no = orderNo();
		const error = await rejection(
			d.sale({ merchantOrderNo: no, amount: 3450, tip: 0, currency: 'ZAR', forecourt })
		);
		expect(error).toMatchObject({ code: 'bad_request', mayHaveReachedTerminal: false });
		expect(error.message).toBe('Fuel lines add up to 30.00 ZAR but the order is 34.50 ZAR');
		expect(orderRequests(no)).toHaveLength(0);

		const ok = orderNo();
		expect(
			(await d.sale({ merchantOrderNo: ok, amount: 3000, tip: 0, currency: 'ZAR', forecourt }))
				.status
		).toBe('approved');
		const biz = orderRequests(ok)[0]?.biz_data;
		expect(biz).toMatchObject({
			order_amount: '30.00',
			forecourt_data: [{ code: '02', quantity: '20.000', amount: '3000' }]
		});
		expect(biz).not.toHaveProperty('price_currency');
	});

	it('says "not connected" (and nothing was sent) before connect', async () => {
		driver = new CodePayLanDriver(
			{ id: 't', currency: 'USD', params: { host: '127.0.0.1', port: sim.port, appId: APP_ID } },
			{ WebSocketImpl: WebSocket, logger }
		);
		expect(await rejection(sale(orderNo()))).toMatchObject({
			code: 'not_connected',
			mayHaveReachedTerminal: false
		});
	});

	it('reconnects after the network drops and reports the status on the way', async () => {
		await start();
		sim.dropConnections();
		await until(() => events.some((e) => e.type === 'status' && e.status === 'reconnecting'));
		await until(() => driver?.status() === 'ready');
		expect((await sale(orderNo())).status).toBe('approved');
	});

	it('waits as long as the settings say before giving up on a query', async () => {
		await start({ queryTimeoutSeconds: 5 });
		sim.setFaults({ neverAnswer: true });
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			let settled = false;
			const asked = driver!
				.query({ merchantOrderNo: orderNo('Q'), kind: 'sale', amount: 1, currency: 'USD' })
				.finally(() => (settled = true));
			const failure = rejection(asked);
			await vi.advanceTimersByTimeAsync(4_900);
			expect(settled).toBe(false);
			await vi.advanceTimersByTimeAsync(200);
			expect(await failure).toMatchObject({ code: 'timeout' });
		} finally {
			vi.useRealTimers();
		}
	});

	it('rejects bad settings clearly', () => {
		expect(
			() => new CodePayLanDriver({ id: 't', currency: 'USD', params: { host: '', appId: 'A' } })
		).toThrow(/IP address/);
		expect(
			() =>
				new CodePayLanDriver({
					id: 't',
					currency: 'USD',
					params: { host: '10.0.0.5', appId: 'A', saleTimeoutSeconds: 5 }
				})
		).toThrow(/saleTimeoutSeconds/);
	});
});

describe('Local Network Access', () => {
	it('asks to be made anew when the permission changes the path, and only then', async () => {
		let changed: ((access: { permission: 'granted' | 'denied' | 'prompt' }) => void) | undefined;
		let watching = 0;
		const lan = new CodePayLanDriver(
			{ id: 'till-1', currency: 'USD', params: { host: '10.0.0.5', appId: APP_ID } },
			{
				WebSocketImpl: WebSocket,
				logger,
				// The page's own server: nothing listens on port 1, so the relay attempt fails at once.
				pageUrl: 'https://127.0.0.1:1/settings',
				localNetwork: { permission: 'denied' },
				watchLocalNetwork: (listener) => {
					changed = listener;
					watching++;
					return () => watching--;
				},
				heartbeatMs: 0,
				connectTimeoutMs: 200
			}
		);
		const seen: TerminalEvent[] = [];
		lan.on((event) => seen.push(event));
		expect(lan.connection).toMatchObject({ mode: 'relay', reason: 'denied' });
		await lan.connect().catch(() => undefined);
		expect(watching).toBe(1);

		changed!({ permission: 'denied' });
		expect(seen.filter((e) => e.type === 'replace')).toEqual([]);
		changed!({ permission: 'granted' });
		expect(seen.filter((e) => e.type === 'replace')).toEqual([
			{ type: 'replace', reason: expect.stringContaining('Local Network Access is allowed') }
		]);
		await lan.disconnect();
		expect(watching).toBe(0);
	});
});

describe('testConnection', () => {
	const params = () => ({ host: '127.0.0.1', port: sim.port, appId: APP_ID });

	it('is ok against a terminal that answers', async () => {
		expect(await testConnection(params(), { WebSocketImpl: WebSocket })).toMatchObject({
			ok: true
		});
	});

	it('spots a wrong app id', async () => {
		expect(
			await testConnection({ ...params(), appId: 'WRONG' }, { WebSocketImpl: WebSocket })
		).toMatchObject({ ok: false, reason: 'wrong_app_id' });
	});

	it('spots a refused connection', async () => {
		const port = sim.port;
		await sim.close();
		const result = await testConnection({ ...params(), port }, { WebSocketImpl: WebSocket });
		expect(result).toMatchObject({ ok: false, reason: 'refused' });
		sim = await startCodePaySimulator({ port: 0, appId: APP_ID });
	});

	it('spots a terminal that connects but never answers', async () => {
		sim.setFaults({ neverAnswer: true });
		expect(
			await testConnection(params(), { WebSocketImpl: WebSocket, timeoutMs: 150 })
		).toMatchObject({ ok: false, reason: 'timeout' });
	});

	it('explains mixed content on an https page without trying', async () => {
		const result = await testConnection(
			{ host: '192.168.1.20', appId: APP_ID },
			{ WebSocketImpl: WebSocket, pageUrl: 'https://pos.example/settings' }
		);
		expect(result).toMatchObject({ ok: false, reason: 'mixed_content' });
		expect(sim.requests()).toEqual([]);
	});
});
