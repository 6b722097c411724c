/**
 * Two POS server processes on one PostgreSQL, as behind a load balancer (issue 10): the till is
 * on instance A, which pushes the sale; the gateway's notification goes to instance B. The till
 * learns of the payment from A all the same, because A's change stream reads the shared store.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { findPostgresBin, startThrowawayPostgres } from '../scripts/throwaway-postgres.js';
import {
	startCloudGatewaySimulator,
	type CloudGatewaySimulator
} from '../simulators/codepay-cloud/server.js';
import { addProduct, CASHIER_PIN, PAIRING_CODE } from './fixtures';
import { demoConfig, startPosServer, type PosServer } from './pos-server';

// Below the system's port-0 range (32768 and up) and the main run's E2E_PORT (20000 and up).
const PORT_A = 18021;
const PORT_B = 18022;
const bin = findPostgresBin();
let postgres: { url: string; stop: () => void } | undefined;
let a: PosServer;
let b: PosServer;
let sim: CloudGatewaySimulator;
let keyDir: string;

test.skip(!bin && !process.env.CI, 'needs PostgreSQL (initdb, pg_ctl)');

test.beforeAll(async () => {
	test.setTimeout(120_000);
	postgres = await startThrowawayPostgres(bin!);
	keyDir = mkdtempSync(join(tmpdir(), 'pos-cloud-two-'));
	const pem = (key: { export(o: object): string | Buffer }, type: string) =>
		String(key.export({ type, format: 'pem' }));
	const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
	writeFileSync(join(keyDir, 'merchant.pem'), pem(merchant.privateKey, 'pkcs8'));
	writeFileSync(join(keyDir, 'gateway.pem'), pem(gateway.publicKey, 'spki'));
	sim = await startCloudGatewaySimulator({
		port: 0,
		merchantPublicKey: pem(merchant.publicKey, 'spki'),
		gatewayPrivateKey: pem(gateway.privateKey, 'pkcs8'),
		approveMs: 1500
	});
	const config = demoConfig();
	config.devicePrefix = 'TWO';
	config.terminals = [
		{
			id: 'cloud-1',
			name: 'Cloud terminal',
			rail: 'codepay-cloud',
			currency: 'USD',
			params: { terminalSn: 'WPYB002248000865' }
		}
	];
	const env = (port: number) => ({
		PORT: String(port),
		DATABASE_URL: postgres!.url,
		CODEPAY_GATEWAY_URL: sim.url,
		CODEPAY_APP_ID: 'sim-cloud-app',
		CODEPAY_MERCHANT_NO: '302300000926',
		CODEPAY_MERCHANT_PRIVATE_KEY_FILE: join(keyDir, 'merchant.pem'),
		CODEPAY_GATEWAY_PUBLIC_KEY_FILE: join(keyDir, 'gateway.pem'),
		// Every notification lands on B, whichever instance pushed the order.
		CODEPAY_NOTIFY_URL: `http://127.0.0.1:${PORT_B}/api/notify/codepay-cloud`
	});
	a = await startPosServer(env(PORT_A), config);
	b = await startPosServer(env(PORT_B), config);
});

test.afterAll(async () => {
	await a?.stop();
	await b?.stop();
	await sim?.close();
	postgres?.stop();
	if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

test('a notification taken by instance B settles the sale of the till on instance A', async ({
	page
}) => {
	await page.goto(a.origin);
	await page.getByLabel('Pairing code').fill(PAIRING_CODE);
	await page.getByRole('button', { name: 'Pair' }).click();
	await page.getByLabel('Staff PIN').fill(CASHIER_PIN);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });

	const order = sim.requests().find((r) => r.method === 'wisehub.cloud.pay.order')!;
	expect(order.notify_url).toBe(`http://127.0.0.1:${PORT_B}/api/notify/codepay-cloud`);
	const told = sim.notifications().filter((n) => n.merchantOrderNo === order.merchant_order_no);
	expect(told.map((n) => n.answer)).toContain('success');
	// Neither instance had to ask the gateway: the notification on B did it.
	expect(sim.requests().filter((r) => r.method === 'order.query')).toHaveLength(0);
	expect(b.output()).toContain(`notification ${order.merchant_order_no}`);
	expect(a.output()).not.toContain(`notification ${order.merchant_order_no}`);
});
