/** `/api/rails/<rail>/<path>`: each server rail's API through the one table, as a till calls it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, pairTill, testRuntime, type Handler } from '../api/test-harness';
import type { Runtime } from '../runtime';
import type { SqlStore } from '../store/sql-store';
import { pgliteBackend } from '../store/test-stores';
import { railRoute } from './rail-routes';

let store: SqlStore;
let rt: Runtime;
let token: string;

beforeAll(async () => {
	store = (await pgliteBackend.open()).store;
	rt = await testRuntime(store, { now: Date.now() });
	token = (await pairTill(rt)).token;
}, 60_000);
afterAll(() => store.close());

const route =
	(method: 'GET' | 'POST', rail: string, path: string): Handler =>
	(runtime, event) =>
		railRoute(runtime, event, method, rail, path);

describe('the rail route table', () => {
	it('hands a rail’s path to its handler, which still wants a signed-in cashier', async () => {
		const res = await call(rt, route('GET', 'iotpay-pax', 'sales/POS1'), '/api/rails/x', { token });
		expect(res.status).toBe(401);
		expect(res.body.error).not.toBe('not_found');
	});

	it('answers JSON 404 for a rail or path it does not know, and 405 for the wrong method', async () => {
		for (const [rail, path] of [
			['no-such-rail', 'sales'],
			['iotpay-pax', 'nothing/here'],
			['iotpay-pax', ''],
			['__proto__', 'sales'],
			['constructor', 'sales']
		]) {
			const res = await call(rt, route('GET', rail!, path!), '/api/rails/x', { token });
			expect(res.status, `${rail}/${path}`).toBe(404);
			expect(res.body.error).toBe('not_found');
		}
		const wrong = await call(rt, route('GET', 'iotpay-pax', 'sales'), '/api/rails/x', { token });
		expect(wrong.status).toBe(405);
	});
});
