/**
 * `GET /api/orders` with a hostile query (issue 8 §5): `q=%00` used to reach the store, which
 * answered 500; `day=2026-13-45` was searched for. Both are the till's mistake or an attacker's:
 * 400 with the issue, and the store is never asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { openStore } from '../store';
import type { SqlStore } from '../store/sql-store';
import { listOrders } from './orders';
import { pairDevice } from './pair';
import { staffLogin } from './staff-login';
import { call, testRuntime, TEST_PAIRING_CODE } from './test-harness';

let store: SqlStore;
let rt: Runtime;
let token = '';
let session = '';

beforeAll(async () => {
	store = await openStore({ dataDir: 'memory://' });
	rt = await testRuntime(store, { now: 1_700_000_000_000 });
	const paired = await call(rt, pairDevice, '/api/devices/pair', {
		body: { code: TEST_PAIRING_CODE, name: 'Till' }
	});
	token = paired.body.token;
	session = (await call(rt, staffLogin, '/api/auth/login', { body: { pin: '1111' }, token })).body
		.sessionToken;
}, 60_000);

afterAll(async () => {
	await store?.close();
});

const orders = (query: string) => call(rt, listOrders, `/api/orders${query}`, { token, session });

describe('GET /api/orders query', () => {
	it.each([
		['a NUL as the search', '?q=%00', 'q'],
		['a NUL inside the search', '?q=TS1%00', 'q'],
		['a day that is no date', '?day=2026-13-45', 'day'],
		['the 30th of February', '?day=2026-02-30', 'day'],
		['a NUL as the day', '?day=%00', 'day']
	])('answers 400 to %s', async (_, query, path) => {
		const response = await orders(query);
		expect(response.status).toBe(400);
		expect(response.body).toMatchObject({ error: 'bad_request', issues: [{ path }] });
	});

	it('searches a real day and clean text', async () => {
		expect(await orders('?day=2024-02-29&q=TS1')).toMatchObject({
			status: 200,
			body: { orders: [] }
		});
	});
});
