import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPin } from './auth/pin';
import {
	ConfigError,
	DEFAULT_CONFIG_PATH,
	loadConfig,
	parseConfigFile,
	publicTerminals,
	resolveConfig
} from './config';
import { resolveSessionSecret } from './secrets';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'pos-config-'));
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

const hash = 'scrypt$1024$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
const minimal = {
	storeName: 'Shop',
	currency: 'EUR',
	pairingCode: '123456',
	staff: [{ id: 's1', name: 'Sam', role: 'cashier', pinHash: hash }]
};

describe('the demo config', () => {
	it('loads, and its PINs are the documented ones', async () => {
		const config = await loadConfig({ env: {}, keepSecret: null });
		expect(config).toMatchObject({
			storeName: expect.any(String),
			currency: 'USD',
			pairingCode: '246810',
			demo: true
		});
		expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
		const casey = config.staff.find((s) => s.name === 'Casey Cashier');
		const morgan = config.staff.find((s) => s.name === 'Morgan Manager');
		expect(casey?.role).toBe('cashier');
		expect(morgan?.role).toBe('manager');
		expect(await verifyPin('1111', casey?.pinHash ?? '')).toBe(true);
		expect(await verifyPin('9999', morgan?.pinHash ?? '')).toBe(true);
		expect(config.terminals).toEqual([
			{
				id: 'sim-1',
				name: 'Counter terminal (simulated)',
				rail: 'simulated',
				currency: 'USD',
				params: { scenario: 'approve', cardSeconds: 1.5 }
			},
			{
				// `npm start` runs the CodePay Register simulator here (scripts/start.js).
				id: 'codepay-1',
				name: 'CodePay Register (simulator)',
				rail: 'codepay-lan',
				currency: 'USD',
				params: { host: '127.0.0.1', port: 35779, appId: 'sim-app-id', profile: 'codepay' }
			},
			{
				// `npm start` runs the IOT Pay simulator and gives the server its IOTPAY_* settings.
				id: 'iotpay-1',
				name: 'IOT Pay PAX (simulator)',
				rail: 'iotpay-pax',
				currency: 'USD',
				params: { deviceName: 'PAX-A920-DEMO', jobNo: 'demo' }
			},
			{
				// Through the CodePay cloud gateway simulator `npm start` runs; its keys from CODEPAY_*.
				id: 'cloud-1',
				name: 'CodePay cloud (simulator)',
				rail: 'codepay-cloud',
				currency: 'USD',
				params: { terminalSn: 'WPYB002248000865', storeNo: '4123000005' }
			},
			{
				// Card-not-present entry through the same gateway simulator (merchant-hosted checkout).
				id: 'card-entry-1',
				name: 'Card entry (simulator)',
				rail: 'codepay-card',
				currency: 'USD',
				params: { storeNo: '4123000005' }
			},
			{
				// Pay by link: the gateway simulator's hosted page.
				id: 'link-1',
				name: 'Pay by link (simulator)',
				rail: 'codepay-link',
				currency: 'USD',
				params: { expiresSeconds: 900, allowOptions: 'Card,ApplePay,GooglePay' }
			}
		]);
		expect(DEFAULT_CONFIG_PATH).toBe('config/pos.demo.json');
	});
});

describe('parseConfigFile', () => {
	it('wants the device name and jobNo of an IOT Pay terminal', () => {
		const terminal = { id: 'p', name: 'PAX', rail: 'iotpay-pax', currency: 'CAD' };
		expect(() =>
			parseConfigFile({ ...minimal, terminals: [{ ...terminal, params: { deviceName: 'V1' } }] })
		).toThrow(/terminals\.0\.params\.jobNo/);
		expect(
			parseConfigFile({
				...minimal,
				terminals: [{ ...terminal, params: { deviceName: 'V1', jobNo: 'job' } }]
			}).terminals
		).toHaveLength(1);
	});

	it('fills defaults', () => {
		expect(parseConfigFile(minimal)).toMatchObject({ demo: false, terminals: [] });
	});

	it('lists every problem with its path', () => {
		const bad = {
			...minimal,
			currency: 'euro',
			staff: [{ id: 's1', name: 'Sam', role: 'boss', pinHash: '1234' }]
		};
		expect(() => parseConfigFile(bad, 'x.json')).toThrow(ConfigError);
		try {
			parseConfigFile(bad, 'x.json');
		} catch (error) {
			const message = (error as Error).message;
			expect(message).toContain('x.json');
			expect(message).toContain('currency');
			expect(message).toContain('staff.0.role');
			expect(message).toContain('staff.0.pinHash');
		}
	});

	it('rejects duplicate staff ids and terminal ids', () => {
		const terminal = { id: 't', name: 'T', rail: 'simulated', currency: 'EUR', params: {} };
		expect(() =>
			parseConfigFile({ ...minimal, staff: [minimal.staff[0], minimal.staff[0]] })
		).toThrow(/duplicate id s1/);
		expect(() => parseConfigFile({ ...minimal, terminals: [terminal, terminal] })).toThrow(
			/duplicate id t/
		);
	});

	it('refuses secret-looking terminal params and keeps terminal secrets off the tablets', async () => {
		const terminal = {
			id: 'cloud',
			name: 'Cloud',
			rail: 'codepay-cloud',
			currency: 'EUR',
			params: { appId: 'A1' }
		};
		expect(() =>
			parseConfigFile({ ...minimal, terminals: [{ ...terminal, params: { appSecret: 'x' } }] })
		).toThrow(/terminals\.0\.params\.appSecret/);
		const file = parseConfigFile({
			...minimal,
			terminals: [{ ...terminal, secrets: { appSecret: 'very-secret' } }]
		});
		const config = await resolveConfig(file, { env: {}, keepSecret: null });
		expect(config.terminals[0]?.secrets).toEqual({ appSecret: 'very-secret' });
		const shown = publicTerminals(config);
		expect(shown).toEqual([{ ...terminal, provisioned: true }]);
		expect(JSON.stringify(shown)).not.toContain('very-secret');
	});
});

describe('secrets', () => {
	it('lets the environment override the file', async () => {
		const file = parseConfigFile({ ...minimal, sessionSecret: 'file-secret-0123456789' });
		const fromFile = await resolveConfig(file, { env: {}, keepSecret: null });
		expect(fromFile).toMatchObject({
			pairingCode: '123456',
			sessionSecret: 'file-secret-0123456789'
		});
		const fromEnv = await resolveConfig(file, {
			env: { POS_PAIRING_CODE: '975310', POS_SESSION_SECRET: 'env-secret-0123456789' },
			keepSecret: null
		});
		expect(fromEnv).toMatchObject({
			pairingCode: '975310',
			sessionSecret: 'env-secret-0123456789'
		});
		await expect(
			resolveConfig(file, { env: { POS_SESSION_SECRET: 'short' }, keepSecret: null })
		).rejects.toThrow(ConfigError);
	});

	it('keeps a generated secret in memory only when nothing keeps it', async () => {
		const a = await resolveSessionSecret({ keep: null });
		const b = await resolveSessionSecret({ keep: null });
		expect(a).not.toBe(b);
		expect(a.length).toBeGreaterThanOrEqual(32);
	});

	it('reads POS_CONFIG and reports a missing or broken file clearly', async () => {
		const path = join(dir, 'pos.json');
		await writeFile(path, JSON.stringify(minimal));
		const config = await loadConfig({ env: { POS_CONFIG: path }, keepSecret: null });
		expect(config).toMatchObject({ storeName: 'Shop', currency: 'EUR', devicePrefix: 'POS' });
		await expect(
			loadConfig({ env: { POS_CONFIG: join(dir, 'missing.json') }, keepSecret: null })
		).rejects.toThrow(/Cannot read the POS config file/);
		await writeFile(path, '{ nope');
		await expect(loadConfig({ env: { POS_CONFIG: path }, keepSecret: null })).rejects.toThrow(
			/is not JSON/
		);
	});
});
