/**
 * The server's IOT Pay sales against the simulator on loopback, on PGlite and PostgreSQL: what the
 * gateway received (how many `create_order`s) and what the store says of each sale.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
	startIotPaySimulator,
	type IotPaySimulator
} from '../../../../simulators/iotpay/server.js';
import type { IotPaySale } from '../store/iotpay-store';
import { testBackends } from '../store/test-stores';
import type { Store } from '../store/types';
import { IotPaySales, type StartSale } from './sales';
import { readSettings } from './settings';

const KEY = 'sales-spec-merchant-key';
let sim: IotPaySimulator;

beforeAll(async () => {
	sim = await startIotPaySimulator({ port: 0, key: KEY, mchId: 'M1', cardMs: 150 });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => sim.reset());

function sales(store: Store, key = KEY, form = 'params'): IotPaySales {
	const settings = readSettings({
		IOTPAY_FORM: form,
		IOTPAY_MCH_ID: 'M1',
		IOTPAY_KEY: key,
		IOTPAY_BASE_URL: sim.url,
		IOTPAY_CREATE_TIMEOUT_MS: '600',
		IOTPAY_POLL_EVERY_MS: '100',
		IOTPAY_POLL_FOR_MS: '2000'
	});
	return new IotPaySales({ settings, store, now: Date.now, log: () => {} });
}

let n = 0;
function sale(): StartSale {
	return {
		merchantOrderNo: `T${Date.now().toString(36)}${n++}`,
		deviceId: 'dev-1',
		attemptId: 'att-1',
		terminal: {
			id: 'iotpay-1',
			name: 'PAX',
			rail: 'iotpay-pax',
			currency: 'CAD',
			params: { deviceName: 'V1-B25', jobNo: 'testpax' }
		},
		amount: 2865,
		tip: 135,
		currency: 'CAD',
		description: 'Order 12'
	};
}

/** Waits for the sale to leave `sent`/`unknown` (or gives it back as it is after `ms`). */
async function settled(service: IotPaySales, no: string, ms = 5000): Promise<IotPaySale | null> {
	const until = Date.now() + ms;
	let current = await service.wait(no, 50);
	while (
		current &&
		(current.state === 'sent' || current.state === 'unknown') &&
		Date.now() < until
	) {
		current = await service.wait(no, 100);
	}
	return current;
}

describe.each(testBackends)('IOT Pay sales on $name', (backend) => {
	let store: Awaited<ReturnType<typeof backend.open>>;
	beforeAll(async () => {
		store = await backend.open();
	}, 60_000);
	afterAll(async () => {
		await store.store.close();
	});

	it('records the sale before create_order and approves it with the card details', async () => {
		const service = sales(store.store);
		const input = sale();
		const started = await service.start(input);
		expect(started).toMatchObject({ created: true, sale: { state: 'sent' } });
		const done = await settled(service, input.merchantOrderNo);
		expect(done).toMatchObject({
			state: 'approved',
			amount: 2865,
			tip: 135,
			outcome: {
				status: 'approved',
				maskedCard: '•••• 4242',
				cardBrand: 'VISA CREDIT',
				authCode: expect.stringMatching(/^A\d{5}$/),
				reference: expect.stringMatching(/^7\d{5}$/)
			}
		});
		const [request] = sim.requests().filter((r) => r.fields.mchOrderNo === input.merchantOrderNo);
		expect(request).toMatchObject({
			endpoint: 'create_order',
			validSign: true,
			fields: {
				mchId: 'M1',
				channelId: 'CC_PAX',
				amount: '2865',
				tip: '135',
				currency: 'CAD',
				notifyUrl: 'http://localhost',
				device: 'V1-B25',
				jobNo: 'testpax'
			}
		});
		expect(sim.createCount(input.merchantOrderNo)).toBe(1);
	});

	it('sends separate form fields when set to, and the gateway takes them', async () => {
		const service = sales(store.store, KEY, 'fields');
		const input = sale();
		await service.start(input);
		expect(await settled(service, input.merchantOrderNo)).toMatchObject({ state: 'approved' });
		const [request] = sim.requests().filter((r) => r.fields.mchOrderNo === input.merchantOrderNo);
		expect(request).toMatchObject({ validSign: true, fields: { amount: '2865' } });
	});

	it('never sends a second create_order for one order number, from any instance', async () => {
		const first = sales(store.store);
		const other = store.another ? sales(await store.another()) : sales(store.store);
		const input = sale();
		const results = await Promise.all([
			first.start(input),
			other.start(input),
			first.start(input),
			other.start(input)
		]);
		expect(results.filter((r) => r.created)).toHaveLength(1);
		await settled(first, input.merchantOrderNo);
		// A restarted server asked again: it reads the row, it does not send.
		const restarted = sales(store.store);
		expect(await restarted.start(input)).toMatchObject({
			created: false,
			sale: { state: 'approved' }
		});
		expect(sim.createCount(input.merchantOrderNo)).toBe(1);
	});

	it('a long poll on another instance sees the result the first one got', async () => {
		sim.setFaults({ cardMs: 600 });
		const first = sales(store.store);
		const other = store.another ? sales(await store.another()) : sales(store.store);
		const input = sale();
		await first.start(input);
		expect(await other.wait(input.merchantOrderNo, 5000)).toMatchObject({ state: 'approved' });
		expect(sim.createCount(input.merchantOrderNo)).toBe(1);
	});

	it('a create_order held past the timeout becomes unknown and is settled by query_order', async () => {
		sim.setFaults({ slowMs: 5000 });
		const service = sales(store.store);
		const input = sale();
		await service.start(input);
		// Settled long before the slow answer (5 s) could come back: by query_order.
		expect(await settled(service, input.merchantOrderNo, 4000)).toMatchObject({
			state: 'approved'
		});
		const sent = sim.requests().filter((r) => r.fields.mchOrderNo === input.merchantOrderNo);
		expect(sent.filter((r) => r.endpoint === 'query_order').length).toBeGreaterThan(0);
		expect(sim.createCount(input.merchantOrderNo)).toBe(1);
	});

	it('a connection cut mid-call is unknown, then settled by query_order', async () => {
		sim.setFaults({ cutConnection: true });
		const service = sales(store.store);
		const input = sale();
		await service.start(input);
		expect(await settled(service, input.merchantOrderNo)).toMatchObject({ state: 'approved' });
		expect(sim.createCount(input.merchantOrderNo)).toBe(1);
	});

	it('a decline is cancelled with the terminal text', async () => {
		sim.setFaults({ decline: true, declineMessage: 'DECLINED 05 CALL ISSUER' });
		const service = sales(store.store);
		const input = sale();
		await service.start(input);
		expect(await settled(service, input.merchantOrderNo)).toMatchObject({
			state: 'cancelled',
			outcome: { status: 'cancelled', message: 'DECLINED 05 CALL ISSUER' }
		});
	});

	it('answers with a bad signature are never approved: the sale stays unknown', async () => {
		sim.setFaults({ badSignature: true });
		const service = sales(store.store);
		const input = sale();
		await service.start(input);
		const after = await settled(service, input.merchantOrderNo, 3000);
		expect(after?.state).toBe('unknown');
		expect(after?.message).toMatch(/signature/);
		expect(sim.createCount(input.merchantOrderNo)).toBe(1);
	});

	it('a wrong merchant key is refused, names the key, and charges nothing', async () => {
		const service = sales(store.store, 'not-the-merchant-key');
		const input = sale();
		await service.start(input);
		const after = await settled(service, input.merchantOrderNo);
		expect(after).toMatchObject({ state: 'refused', keyFault: true });
		expect(after?.message).toContain('IOTPAY_KEY');
		expect(sim.orders().some((o) => o.mchOrderNo === input.merchantOrderNo)).toBe(false);
	});

	it('after a restart, a look-up asks query_order (never create_order) and settles the sale', async () => {
		sim.setFaults({ hangCreate: true, queryDelayMs: 300 });
		const before = sales(store.store);
		const input = sale();
		await before.start(input);
		// The server "restarts": a new process knows nothing of the held call.
		const after = sales(store.store);
		let seen = await after.lookUp(input.merchantOrderNo, { deviceId: 'dev-1', terminalId: 'x' });
		const until = Date.now() + 5000;
		while (seen.state !== 'approved' && Date.now() < until) {
			await new Promise((resolve) => setTimeout(resolve, 120));
			seen = await after.lookUp(input.merchantOrderNo, { deviceId: 'dev-1', terminalId: 'x' });
		}
		expect(seen.state).toBe('approved');
		expect(sim.createCount(input.merchantOrderNo)).toBe(1);
	});

	it('an order number the server never saw is closed, and a late start does not send it', async () => {
		const service = sales(store.store);
		const input = sale();
		const seen = await service.lookUp(input.merchantOrderNo, {
			deviceId: 'dev-1',
			terminalId: 'iotpay-1'
		});
		expect(seen.state).toBe('refused');
		expect(await service.start(input)).toMatchObject({
			created: false,
			sale: { state: 'refused' }
		});
		expect(sim.createCount(input.merchantOrderNo)).toBe(0);
	});
});

describe('IOT Pay settings', () => {
	it('read the key from IOTPAY_KEY_FILE, and name that file when it cannot be read', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'iotpay-key-'));
		try {
			await writeFile(join(dir, 'key'), 'from-the-file\n');
			const env = { IOTPAY_MCH_ID: 'M', IOTPAY_BASE_URL: 'https://gw.test/v1' };
			expect(readSettings({ ...env, IOTPAY_KEY_FILE: join(dir, 'key') })).toMatchObject({
				ok: true,
				settings: { key: 'from-the-file' }
			});
			expect(readSettings({ ...env, IOTPAY_KEY_FILE: join(dir, 'missing') })).toMatchObject({
				ok: false,
				message: expect.stringContaining('IOTPAY_KEY_FILE cannot be read')
			});
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('name what is missing', () => {
		const result = readSettings({ IOTPAY_MCH_ID: 'M1' });
		expect(result).toEqual({
			ok: false,
			message:
				'IOT Pay is not set up on the POS server: set IOTPAY_KEY (or IOTPAY_KEY_FILE), IOTPAY_BASE_URL.'
		});
	});

	it('default to params=, a 3-minute create_order and polling every 2 s for 60 s', () => {
		const result = readSettings({
			IOTPAY_MCH_ID: 'M',
			IOTPAY_KEY: 'k',
			IOTPAY_BASE_URL: 'http://x/'
		});
		expect(result).toMatchObject({
			ok: true,
			settings: {
				baseUrl: 'http://x',
				form: 'params',
				createTimeoutMs: 180_000,
				pollEveryMs: 2000,
				pollForMs: 60_000
			}
		});
	});
});
