/**
 * The API handlers end to end over a real in-memory PGlite: each call goes through `guardApi`
 * (what `hooks.server.ts` does) and then the handler, with a `Request` built as a browser would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardApi } from '../auth/guard';
import { verifySession } from '../auth/session-token';
import type { Runtime } from '../runtime';
import { openStore } from '../store';
import type { SqlStore } from '../store/sql-store';
import { health } from './health';
import { listOrders } from './orders';
import { pairDevice } from './pair';
import { catalog } from './catalog';
import { provisioning } from './provisioning';
import { managerApproval } from './manager-approval';
import { staffLogin } from './staff-login';
import { sync } from './sync';
import {
	call as callApi,
	pairTill,
	testConfigFile,
	testRuntime,
	TEST_PAIRING_CODE,
	TEST_SECRET,
	type CallOptions,
	type Handler,
	type TestClock
} from './test-harness';

let store: SqlStore;
const clock: TestClock = { now: 1_700_000_000_000 };
const PAIRING_CODE = TEST_PAIRING_CODE;

/** A runtime with its own limiters over the shared store. */
const runtime = (): Promise<Runtime> => testRuntime(store, clock);

let rt: Runtime;

beforeAll(async () => {
	store = await openStore({ dataDir: 'memory://' });
	rt = await runtime();
}, 60_000);

afterAll(async () => {
	await store?.close();
});

function call(handler: Handler, path: string, options: CallOptions = {}, on: Runtime = rt) {
	return callApi(on, handler, path, options);
}

/** Outside demo mode the configured code pairs one till only; the others get issued codes. */
function pair(name = 'Till', on: Runtime = rt, ip = '10.0.0.1') {
	return pairTill(on, name, ip);
}

async function login(token: string, pin: string, on: Runtime = rt) {
	return call(staffLogin, '/api/auth/login', { body: { pin }, token }, on);
}

describe('GET /api/health', () => {
	it('answers without auth and names the store', async () => {
		const response = await health(async () => rt);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ ok: true, store: 'pglite' });
	});

	it('answers 503 when the store cannot be opened', async () => {
		const response = await health(() => Promise.reject(new Error('disk full')));
		expect(response.status).toBe(503);
		expect(await response.json()).toMatchObject({ ok: false, error: 'store_unavailable' });
	});
});

describe('POST /api/devices/pair', () => {
	it('pairs with the right code and stores only the token hash', async () => {
		const res = await call(pairDevice, '/api/devices/pair', {
			body: { code: PAIRING_CODE, name: 'Front till' }
		});
		expect(res.status).toBe(200);
		const { deviceId, token } = res.body as { deviceId: string; token: string };
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const rows = await store.select<{ name: string; token_hash: string }>(
			'select name, token_hash from devices where id = $1',
			[deviceId]
		);
		expect(rows[0]?.name).toBe('Front till');
		expect(rows[0]?.token_hash).not.toContain(token);
		expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('refuses a wrong code, and the file code once the environment overrides it', async () => {
		for (const code of ['000000', 'from-file']) {
			const res = await call(pairDevice, '/api/devices/pair', {
				body: { code, name: 'Till' },
				ip: '10.0.0.50'
			});
			expect(res).toMatchObject({ status: 401, body: { error: 'wrong_pairing_code' } });
		}
	});

	it('rejects a malformed body with the issues', async () => {
		const res = await call(pairDevice, '/api/devices/pair', { body: { code: PAIRING_CODE } });
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({ error: 'bad_request', issues: [{ path: 'name' }] });
		const raw = await call(pairDevice, '/api/devices/pair', { rawBody: '{"code":' });
		expect(raw).toMatchObject({ status: 400, body: { error: 'bad_request' } });
	});

	it('answers 429 after 10 failures from one IP, even to the right code, for that IP only', async () => {
		const own = await runtime();
		const wrong = { body: { code: 'nope', name: 'x' }, ip: '192.0.2.9' };
		for (let i = 0; i < 9; i++) {
			expect((await call(pairDevice, '/api/devices/pair', wrong, own)).status).toBe(401);
		}
		const tenth = await call(pairDevice, '/api/devices/pair', wrong, own);
		expect(tenth.status).toBe(429);
		const right = { body: { code: PAIRING_CODE, name: 'x' }, ip: '192.0.2.9' };
		const locked = await call(pairDevice, '/api/devices/pair', right, own);
		expect(locked).toMatchObject({ status: 429, body: { error: 'too_many_attempts' } });
		expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
		await pair('Other IP', own, '192.0.2.10');
		clock.now += 10 * 60_000;
		await pair('Same IP, later', own, '192.0.2.9');
	});
});

describe('device authentication', () => {
	it('answers 401 device_not_paired without a token or with an unknown one', async () => {
		for (const token of [undefined, 'x'.repeat(43)]) {
			const res = await call(provisioning, '/api/config', { token });
			expect(res.status).toBe(401);
			expect(res.body).toMatchObject({ error: 'device_not_paired', message: expect.any(String) });
		}
	});

	it('lets public API routes through and resolves a paired device', async () => {
		const open = await guardApi(rt, '/api/health', new Headers());
		expect(open.response).toBeUndefined();
		const { deviceId, token } = await pair();
		const guard = await guardApi(
			rt,
			'/api/sync',
			new Headers({ authorization: `Bearer ${token}` })
		);
		expect(guard.response ? null : guard.caller).toEqual({ device: { id: deviceId }, staff: null });
	});

	it('refreshes last_seen_at, at most once a minute', async () => {
		const { deviceId, token } = await pair();
		const headers = new Headers({ authorization: `Bearer ${token}` });
		clock.now += 30_000;
		await guardApi(rt, '/api/config', headers);
		expect((await store.getDevice(deviceId))?.lastSeenAt).toBe(clock.now - 30_000);
		clock.now += 31_000;
		await guardApi(rt, '/api/config', headers);
		expect((await store.getDevice(deviceId))?.lastSeenAt).toBe(clock.now);
	});
});

describe('GET /api/config and /api/catalog', () => {
	it("provisions the owner's offline card limits", async () => {
		const file = await testConfigFile({ offlineLimits: { perSaleCard: 5_000, totalCard: 20_000 } });
		const own = await testRuntime(store, clock, file);
		const till = await pair('Limits', own);
		const res = await call(provisioning, '/api/config', { token: till.token }, own);
		expect(res.body.offlineLimits).toEqual({ perSaleCard: 5_000, totalCard: 20_000 });
	});

	it('provisions the device without any secret', async () => {
		const a = await pair('A');
		const b = await pair('B');
		const res = await call(provisioning, '/api/config', { token: a.token });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			storeName: 'Test Shop',
			currency: 'USD',
			deviceId: a.deviceId,
			devicePrefix: expect.stringMatching(/^TS\d+$/),
			terminals: [
				{
					id: 'cloud-1',
					name: 'Cloud terminal',
					rail: 'codepay-cloud',
					currency: 'USD',
					params: { appId: 'APP' },
					provisioned: true
				}
			],
			demo: false,
			offlineLimits: {}
		});
		const text = JSON.stringify(res.body);
		for (const secret of [PAIRING_CODE, TEST_SECRET, 'terminal-secret-value', 'scrypt$']) {
			expect(text).not.toContain(secret);
		}
		const other = await call(provisioning, '/api/config', { token: b.token });
		expect(other.body.devicePrefix).not.toBe(res.body.devicePrefix);
	});

	it('serves the catalog in the store currency', async () => {
		const { token } = await pair();
		const res = await call(catalog, '/api/catalog', { token });
		expect(res).toEqual({
			status: 200,
			headers: expect.anything(),
			body: {
				currency: 'USD',
				version: 0,
				full: true,
				categories: [],
				products: [],
				modifierGroups: [],
				removed: { categories: [], products: [], modifierGroups: [] }
			}
		});
	});
});

describe('POST /api/auth/login', () => {
	it('signs a staff member in with a session the guard accepts for that device only', async () => {
		const a = await pair();
		const b = await pair();
		const res = await login(a.token, '1111');
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			staff: { id: 'casey', name: 'Casey Cashier', role: 'cashier' },
			expiresAt: clock.now + 12 * 60 * 60 * 1000
		});
		const check = verifySession(res.body.sessionToken, TEST_SECRET, clock.now);
		expect(check).toMatchObject({ ok: true, payload: { staffId: 'casey', deviceId: a.deviceId } });
		const headers = (token: string) =>
			new Headers({ authorization: `Bearer ${token}`, 'x-staff-session': res.body.sessionToken });
		const same = await guardApi(rt, '/api/orders', headers(a.token));
		expect(same.response ? null : same.caller.staff).toEqual(res.body.staff);
		const copied = await guardApi(rt, '/api/orders', headers(b.token));
		expect(copied.response ? null : copied.caller.staff).toBeNull();
		clock.now += 12 * 60 * 60 * 1000;
		const expired = await guardApi(rt, '/api/orders', headers(a.token));
		expect(expired.response ? null : expired.caller.staff).toBeNull();
	});

	it('answers wrong_pin, then locks the device out for 60 s after 5 failures', async () => {
		const { token } = await pair();
		const other = await pair();
		for (let i = 0; i < 4; i++) {
			expect((await login(token, '0000')).body).toEqual({
				error: 'wrong_pin',
				message: 'That PIN is not recognised.'
			});
		}
		const fifth = await login(token, '0000');
		expect(fifth).toMatchObject({ status: 429, body: { error: 'locked_out' } });
		expect(fifth.headers.get('retry-after')).toBe('60');
		expect((await login(token, '1111')).status).toBe(429);
		expect((await login(other.token, '1111')).status).toBe(200);
		clock.now += 60_000;
		expect((await login(token, '1111')).status).toBe(200);
	});

	it('needs a paired device', async () => {
		const res = await call(staffLogin, '/api/auth/login', { body: { pin: '1111' } });
		expect(res).toMatchObject({ status: 401, body: { error: 'device_not_paired' } });
	});
});

describe('POST /api/auth/manager', () => {
	const refund = {
		action: 'refund',
		orderId: 'order-7',
		origAttemptId: 'sale-7',
		origMerchantOrderNo: 'TS1S7',
		amount: 450
	};

	it('approves one operation with a manager PIN and records who approved what', async () => {
		const { token, deviceId } = await pair();
		const session = (await login(token, '1111')).body.sessionToken as string;
		const res = await call(managerApproval, '/api/auth/manager', {
			body: { pin: '9999', ...refund },
			token,
			session
		});
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			ok: true,
			manager: { id: 'morgan', name: 'Morgan Manager' },
			approvalId: expect.any(String),
			expiresAt: clock.now + 5 * 60_000
		});
		const rows = await store.select('select * from approvals where id = $1', [res.body.approvalId]);
		expect(rows).toEqual([
			{
				id: res.body.approvalId,
				device_id: deviceId,
				manager_id: 'morgan',
				requested_by: 'casey',
				action: 'refund',
				order_id: 'order-7',
				orig_attempt_id: 'sale-7',
				orig_merchant_order_no: 'TS1S7',
				amount: 450,
				terminal_id: null,
				created_at: clock.now,
				expires_at: clock.now + 5 * 60_000,
				used_by_attempt_id: null,
				relay_merchant_order_no: null
			}
		]);
	});

	it('refuses a cashier PIN with 403 and a wrong PIN with 401', async () => {
		const { token } = await pair();
		const cashier = await call(managerApproval, '/api/auth/manager', {
			body: { pin: '1111', ...refund },
			token
		});
		expect(cashier).toMatchObject({ status: 403, body: { error: 'not_a_manager' } });
		const wrong = await call(managerApproval, '/api/auth/manager', {
			body: { pin: '5555', ...refund },
			token
		});
		expect(wrong).toMatchObject({ status: 401, body: { error: 'wrong_pin' } });
	});

	it('issues no approval for an operation it cannot name: unknown action, no amount, no sale', async () => {
		const { token } = await pair();
		const { amount: _amount, ...noAmount } = refund;
		const { origAttemptId: _sale, ...noSale } = refund;
		for (const body of [
			{ pin: '9999', action: 'discount', orderId: 'order-7' },
			{ pin: '9999', ...noAmount },
			{ pin: '9999', ...noSale },
			{ pin: '9999', ...refund, amount: 0 },
			{ pin: '9999', action: 'batch_close' }
		]) {
			const res = await call(managerApproval, '/api/auth/manager', { body, token });
			expect(res, JSON.stringify(body)).toMatchObject({
				status: 400,
				body: { error: 'bad_request' }
			});
		}
		const closing = await call(managerApproval, '/api/auth/manager', {
			body: { pin: '9999', action: 'batch_close', terminalId: 'codepay-1' },
			token
		});
		expect(closing.status).toBe(200);
	});
});

const order = (id: string, updatedAt: number, status = 'open') => ({
	id,
	number: `TS1-${id}`,
	currency: 'USD',
	lines: [
		{
			id: `${id}-l1`,
			productId: 'tea',
			sku: 'TEA',
			name: 'Tea',
			unitPrice: 450,
			qty: 1,
			taxRateBp: 0,
			taxInclusive: false,
			discount: null,
			lineDiscount: 0,
			orderDiscountShare: 0,
			net: 450,
			tax: 0,
			total: 450
		}
	],
	orderDiscount: null,
	subtotal: 450,
	discount: 0,
	tax: 0,
	total: 450,
	staffId: 'casey',
	createdAt: updatedAt,
	updatedAt,
	day: '2024-05-01',
	status,
	tip: 0,
	paid: 0,
	refunded: 0,
	deviceId: 'ignored'
});
const attempt = (id: string, merchantOrderNo: string) => ({
	id,
	orderId: 'so1',
	kind: 'sale',
	rail: 'codepay-cloud',
	terminalId: 'cloud-1',
	merchantOrderNo,
	amount: 450,
	tip: 0,
	currency: 'USD',
	state: 'approved',
	createdAt: 1,
	updatedAt: 2
});
const journalEvent = (seq: number) => ({
	seq,
	at: seq,
	entity: 'order',
	entityId: 'so1',
	orderId: 'so1',
	type: 'order.created'
});

/** A paired till on which the cashier signed in (sync believes only such staff ids). */
async function till() {
	const paired = await pair();
	expect((await login(paired.token, '1111')).status).toBe(200);
	return paired;
}

describe('POST /api/sync', () => {
	it('stores an upload idempotently', async () => {
		const { token, deviceId } = await till();
		const body = {
			deviceId,
			orders: [order('so1', 10)],
			attempts: [attempt('sa1', 'TS1sync1')],
			tenders: [],
			events: [journalEvent(1), journalEvent(2)]
		};
		const first = await call(sync, '/api/sync', { body, token });
		expect(first).toMatchObject({
			status: 200,
			body: {
				ok: true,
				accepted: { orders: 1, attempts: 1, tenders: 0, events: 2 },
				applied: { orders: 1, attempts: 1, tenders: 0, events: 2 }
			}
		});
		const again = await call(sync, '/api/sync', { body, token });
		expect(again.body).toMatchObject({
			accepted: { orders: 1, attempts: 1, tenders: 0, events: 2 },
			applied: { orders: 0, attempts: 0, tenders: 0, events: 0 }
		});
		const older = await call(sync, '/api/sync', {
			body: { deviceId, orders: [order('so1', 5, 'open')] },
			token
		});
		expect(older.body.applied.orders).toBe(0);
		expect(older.body.records).toEqual([{ entity: 'order', id: 'so1', outcome: 'stale' }]);
		const rows = await store.select('select device_id, updated_at from orders where id = $1', [
			'so1'
		]);
		expect(rows).toEqual([{ device_id: deviceId, updated_at: 10 }]);
	});

	it('refuses another device’s upload with 403', async () => {
		const { token } = await pair();
		const res = await call(sync, '/api/sync', { body: { deviceId: 'someone-else' }, token });
		expect(res).toMatchObject({ status: 403, body: { error: 'wrong_device' } });
	});

	it('refuses more than 500 records with 413', async () => {
		const { token, deviceId } = await pair();
		const events = Array.from({ length: 501 }, (_, i) => journalEvent(i + 1));
		const res = await call(sync, '/api/sync', { body: { deviceId, events }, token });
		expect(res).toMatchObject({ status: 413, body: { error: 'too_many_records' } });
	});

	it('stores nothing of a malformed upload', async () => {
		const { token, deviceId } = await pair();
		const res = await call(sync, '/api/sync', {
			body: { deviceId, orders: [order('bad-1', 1)], events: [{ seq: 'one', at: 1 }] },
			token
		});
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({ error: 'bad_request', message: expect.any(String) });
		expect(res.body.issues[0].path).toMatch(/^events\.0/);
		expect(await store.select('select id from orders where id = $1', ['bad-1'])).toEqual([]);
	});

	it('refuses an attempt that reuses a merchant order number, and says so', async () => {
		const { token, deviceId } = await till();
		await call(sync, '/api/sync', {
			body: {
				deviceId,
				orders: [order('dup-o', 10)],
				attempts: [{ ...attempt('c1', 'TS1dup'), orderId: 'dup-o' }]
			},
			token
		});
		const res = await call(sync, '/api/sync', {
			body: { deviceId, attempts: [{ ...attempt('c2', 'TS1dup'), orderId: 'dup-o' }] },
			token
		});
		expect(res).toMatchObject({
			status: 200,
			body: { rejected: [{ entity: 'attempt', id: 'c2', reason: 'merchant_order_no_taken' }] }
		});
	});
});

describe('GET /api/orders', () => {
	it('needs a staff session, then lists and filters', async () => {
		const { token, deviceId } = await till();
		await call(sync, '/api/sync', {
			body: {
				deviceId,
				orders: [
					{ ...order('lo1', 100), number: 'LIST-0001', day: '2024-06-01' },
					{ ...order('lo2', 200), number: 'LIST-0002', day: '2024-06-02' }
				]
			},
			token
		});
		const anonymous = await call(listOrders, '/api/orders', { token });
		expect(anonymous).toMatchObject({ status: 401, body: { error: 'staff_session_required' } });
		const session = (await login(token, '1111')).body.sessionToken as string;
		const found = await call(listOrders, '/api/orders?q=list-000', { token, session });
		expect(found.status).toBe(200);
		expect(found.body.orders.map((o: { id: string }) => o.id)).toEqual(['lo2', 'lo1']);
		const day = await call(listOrders, '/api/orders?day=2024-06-01&q=', { token, session });
		expect(day.body.orders.map((o: { id: string }) => o.id)).toEqual(['lo1']);
		const bad = await call(listOrders, '/api/orders?day=June', { token, session });
		expect(bad).toMatchObject({ status: 400, body: { error: 'bad_request' } });
	});
});
