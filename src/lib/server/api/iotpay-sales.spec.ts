/**
 * `POST /api/rails/iotpay-pax/sales` and `GET /api/rails/iotpay-pax/sales/<no>` as a till calls them, over a real
 * PGlite and the IOT Pay simulator on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	startIotPaySimulator,
	type IotPaySimulator
} from '../../../../simulators/iotpay/server.js';
import { IotPaySales } from '../iotpay/sales';
import { readSettings } from '../iotpay/settings';
import type { Runtime } from '../runtime';
import { openStore } from '../store';
import type { SqlStore } from '../store/sql-store';
import { iotPaySaleStatus, startIotPaySale } from './iotpay-sales';
import { staffLogin } from './staff-login';
import { call, pairTill, testConfigFile, testRuntime, type Handler } from './test-harness';

const KEY = 'api-spec-merchant-key';
let sim: IotPaySimulator;
let store: SqlStore;
let rt: Runtime;
let till: { token: string; session: string };

beforeAll(async () => {
	sim = await startIotPaySimulator({ port: 0, key: KEY, mchId: 'M1', cardMs: 100 });
	store = await openStore({ dataDir: 'memory://' });
	const file = await testConfigFile({
		currency: 'CAD',
		terminals: [
			{
				id: 'pax-1',
				name: 'IOT Pay (PAX)',
				rail: 'iotpay-pax',
				currency: 'CAD',
				params: { deviceName: 'V1-B25', jobNo: 'testpax' }
			}
		]
	});
	rt = await testRuntime(store, { now: Date.now() }, file);
	rt.now = Date.now;
	rt.iotpay = new IotPaySales({
		settings: readSettings({ IOTPAY_MCH_ID: 'M1', IOTPAY_KEY: KEY, IOTPAY_BASE_URL: sim.url }),
		store,
		now: Date.now
	});
	const { token } = await pairTill(rt);
	const login = await call(rt, staffLogin, '/api/auth/login', { body: { pin: '1111' }, token });
	till = { token, session: login.body.sessionToken };
}, 60_000);

afterAll(async () => {
	await store?.close();
	await sim?.close();
});

const status: Handler = (runtime, event) =>
	iotPaySaleStatus(runtime, event, event.url.pathname.split('/').pop() ?? '');

const body = (merchantOrderNo: string) => ({
	terminalId: 'pax-1',
	merchantOrderNo,
	amount: 1250,
	tip: 0,
	currency: 'CAD'
});

describe('the IOT Pay sale API', () => {
	it('wants a signed-in staff member', async () => {
		const res = await call(rt, startIotPaySale, '/api/rails/iotpay-pax/sales', {
			body: body('NOSTAFF1'),
			token: till.token
		});
		expect(res.status).toBe(401);
		expect(sim.createCount('NOSTAFF1')).toBe(0);
	});

	it('refuses a terminal the server does not have, and malformed figures', async () => {
		const other = await call(rt, startIotPaySale, '/api/rails/iotpay-pax/sales', {
			body: { ...body('X1'), terminalId: 'elsewhere' },
			...till
		});
		expect(other.status).toBe(404);
		for (const bad of [
			{ ...body('X2'), amount: 12.5 },
			{ ...body('X3'), amount: '1250' },
			{ ...body('X'.repeat(31)) },
			{ ...body('X4'), currency: 'cad' }
		]) {
			const res = await call(rt, startIotPaySale, '/api/rails/iotpay-pax/sales', {
				body: bad,
				...till
			});
			expect(res.status, JSON.stringify(bad)).toBe(400);
		}
		const wrongCurrency = await call(rt, startIotPaySale, '/api/rails/iotpay-pax/sales', {
			body: { ...body('X5'), currency: 'USD' },
			...till
		});
		expect(wrongCurrency.status).toBe(400);
		expect(sim.requests()).toHaveLength(0);
	});

	it('starts a sale, answers its result, and a second start sends nothing', async () => {
		const res = await call(rt, startIotPaySale, '/api/rails/iotpay-pax/sales', {
			body: body('API1'),
			...till
		});
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			merchantOrderNo: 'API1',
			state: 'approved',
			outcome: { status: 'approved', maskedCard: '•••• 4242' }
		});
		const again = await call(rt, startIotPaySale, '/api/rails/iotpay-pax/sales', {
			body: body('API1'),
			...till
		});
		expect(again.body).toMatchObject({ state: 'approved' });
		const other = await call(rt, startIotPaySale, '/api/rails/iotpay-pax/sales', {
			body: { ...body('API1'), amount: 999 },
			...till
		});
		expect(other.status).toBe(409);
		const looked = await call(rt, status, '/api/rails/iotpay-pax/sales/API1', { ...till });
		expect(looked.body).toMatchObject({ state: 'approved' });
		expect(sim.createCount('API1')).toBe(1);
	});

	it('another till cannot read the sale', async () => {
		const { token } = await pairTill(rt, 'Other till');
		const login = await call(rt, staffLogin, '/api/auth/login', { body: { pin: '1111' }, token });
		const res = await call(rt, status, '/api/rails/iotpay-pax/sales/API1', {
			token,
			session: login.body.sessionToken
		});
		expect(res.status).toBe(404);
	});
});
