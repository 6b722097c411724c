/**
 * CodePay cloud, as a cashier uses it: the till asks the POS server, which signs the Open API call,
 * pushes the order to the (simulated) cloud terminal and settles it from the gateway's signed
 * notification. With the gateway's answers wrongly signed and no notification, the sale is never
 * taken as paid on their strength: it stays "Checking the terminal…" until a signed order.query
 * settles it.
 *
 * The gateway simulator runs in this test process on a loopback port; the POS server of this test
 * gets throwaway keys through the CODEPAY_* variables (as `_FILE` paths and inline).
 */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
	canonical,
	startCloudGatewaySimulator,
	type CloudGatewaySimulator
} from '../simulators/codepay-cloud/server.js';
import { addProduct, CASHIER_PIN, MANAGER_PIN, PAIRING_CODE } from './fixtures';
import { demoConfig, startPosServer, type PosServer } from './pos-server';

// Below the system's port-0 range (32768 and up) and the main run's E2E_PORT (20000 and up).
const POS_PORT = 18011;
const TERMINAL = 'Counter cloud terminal';
let server: PosServer;
let sim: CloudGatewaySimulator;
let keyDir: string;
/** The gateway's signing key: only to show that even a correctly signed stale notification is refused. */
let gatewayKey: KeyObject;

test.beforeAll(async () => {
	keyDir = mkdtempSync(join(tmpdir(), 'pos-cloud-e2e-'));
	const pem = (key: { export(o: object): string | Buffer }, type: string) =>
		String(key.export({ type, format: 'pem' }));
	const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
	gatewayKey = createPrivateKey(pem(gateway.privateKey, 'pkcs8'));
	const merchantKeyFile = join(keyDir, 'merchant.pem');
	writeFileSync(merchantKeyFile, pem(merchant.privateKey, 'pkcs1'));
	sim = await startCloudGatewaySimulator({
		port: 0,
		merchantPublicKey: pem(merchant.publicKey, 'spki'),
		gatewayPrivateKey: pem(gateway.privateKey, 'pkcs8'),
		approveMs: 1500,
		retryMs: 500
	});
	const config = demoConfig();
	config.terminals = [
		{
			id: 'cloud-1',
			name: TERMINAL,
			rail: 'codepay-cloud',
			currency: 'USD',
			params: { terminalSn: 'WPYB002248000865', storeNo: '4123000005' }
		}
	];
	config.devicePrefix = 'CLD';
	server = await startPosServer(
		{
			PORT: String(POS_PORT),
			CODEPAY_GATEWAY_URL: sim.url,
			CODEPAY_APP_ID: 'sim-cloud-app',
			CODEPAY_MERCHANT_NO: '302300000926',
			CODEPAY_MERCHANT_PRIVATE_KEY_FILE: merchantKeyFile,
			CODEPAY_GATEWAY_PUBLIC_KEY: pem(gateway.publicKey, 'spki'),
			CODEPAY_NOTIFY_URL: `http://127.0.0.1:${POS_PORT}/api/notify/codepay-cloud`
		},
		config
	);
});

test.afterAll(async () => {
	await server?.stop();
	await sim?.close();
	if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

test.beforeEach(() => {
	sim.setFaults({ badResponseSignature: false, noNotification: false, terminalDelayMs: 0 });
});

async function openTill(page: Page): Promise<void> {
	await page.goto(server.origin);
	await page.getByLabel('Pairing code').fill(PAIRING_CODE);
	await page.getByRole('button', { name: 'Pair' }).click();
	await page.getByLabel('Staff PIN').fill(CASHIER_PIN);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
}

async function chargeOnCard(page: Page): Promise<void> {
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await expect(page.getByLabel('Terminal')).toHaveValue('cloud-1');
	await page.getByRole('button', { name: /on card$/ }).click();
}

const pushes = () => sim.requests().filter((r) => r.method === 'wisehub.cloud.pay.order');

test('a cloud sale is pushed once, signed, and settled by the gateway notification', async ({
	page
}) => {
	await openTill(page);
	const before = pushes().length;
	await chargeOnCard(page);
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });

	const sent = pushes().slice(before);
	expect(sent).toHaveLength(1);
	const order = sent[0]!;
	expect(order).toMatchObject({
		sign_type: 'RSA2',
		terminal_sn: 'WPYB002248000865',
		store_no: '4123000005',
		message_receiving_application: 'CodePay Register',
		trans_type: 1,
		price_currency: 'USD'
	});
	expect(String(order.merchant_order_no)).toMatch(/^CLD/);
	// The gateway told the server by notification, and the server said "success".
	const told = sim.notifications().filter((n) => n.merchantOrderNo === order.merchant_order_no);
	expect(told.length).toBeGreaterThan(0);
	expect(told[0]!.answer).toBe('success');
	expect(
		sim.orders().find((o) => o.merchant_order_no === order.merchant_order_no)?.trans_status
	).toBe(2);
	// Settled by the notification: the server's poller (first round after 5 s) never had to ask.
	const asked = sim
		.requests()
		.filter((r) => r.method === 'order.query' && r.merchant_order_no === order.merchant_order_no);
	expect(asked).toHaveLength(0);
});

test('wrongly signed answers are never believed: unknown until a signed query settles it', async ({
	page
}) => {
	sim.setFaults({ badResponseSignature: true, noNotification: true });
	await openTill(page);
	const before = pushes().length;
	await chargeOnCard(page);
	await expect(page.getByRole('heading', { name: 'Checking the terminal…' })).toBeVisible();
	const order = pushes().slice(before)[0]!;
	// The terminal approves; the gateway's answers about it still do not verify.
	await expect
		.poll(
			() => sim.orders().find((o) => o.merchant_order_no === order.merchant_order_no)?.trans_status
		)
		.toBe(2);
	const queriesBefore = sim.requests().filter((r) => r.method === 'order.query').length;
	await expect
		.poll(() => sim.requests().filter((r) => r.method === 'order.query').length)
		.toBeGreaterThan(queriesBefore);
	await expect(page.getByRole('heading', { name: 'Checking the terminal…' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);

	sim.setFaults({ badResponseSignature: false });
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
	expect(pushes().slice(before)).toHaveLength(1);
});

test('a partial refund on the cloud terminal needs the manager PIN, and goes out once', async ({
	page
}) => {
	await openTill(page);
	const before = pushes().length;
	await chargeOnCard(page);
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
	const sale = pushes().slice(before)[0]!;

	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
	await page.getByRole('button', { name: 'Refund' }).click();
	await page.getByLabel('Refund amount').fill('1.00');
	await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
	await page.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByTestId('order-status')).toHaveText('partially refunded', {
		timeout: 20_000
	});
	const refunds = pushes()
		.slice(before)
		.filter((r) => r.trans_type === 3);
	expect(refunds).toHaveLength(1);
	expect(refunds[0]).toMatchObject({
		orig_merchant_order_no: sale.merchant_order_no,
		order_amount: 1,
		price_currency: 'USD'
	});
	const refund = sim.orders().find((o) => o.merchant_order_no === refunds[0]!.merchant_order_no);
	expect(refund?.trans_status).toBe(2);
});

test('the tip of a cloud sale is adjusted, then a manager closes the batch', async ({ page }) => {
	await openTill(page);
	const before = pushes().length;
	await chargeOnCard(page);
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
	const sale = pushes().slice(before)[0]!;

	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
	await page.getByRole('button', { name: 'Adjust tip' }).click();
	await page.getByLabel('New tip').fill('2.50');
	await page.getByRole('button', { name: 'Save tip' }).click();
	await expect(page.getByTestId('tip-adjusted')).toHaveText('Tip adjusted to $2.50.');
	const adjust = sim
		.requests()
		.find((r) => r.method === 'tip.adjustment' && r.merchant_order_no === sale.merchant_order_no);
	expect(adjust).toMatchObject({ tip_adjustment_amount: 2.5, sign_type: 'RSA2' });
	expect(sim.orders().find((o) => o.merchant_order_no === sale.merchant_order_no)?.tip_amount).toBe(
		'2.50'
	);

	const closesBefore = sim.requests().filter((r) => r.method === 'batch.close').length;
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('button', { name: `Close batch on ${TERMINAL}` }).click();
	const approval = page.getByRole('dialog', { name: 'Manager approval' });
	await approval.getByLabel('Manager PIN').fill(MANAGER_PIN);
	await approval.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByTestId('batch-cloud-1')).toContainText('closed');
	const closes = sim.requests().filter((r) => r.method === 'batch.close');
	expect(closes.length - closesBefore).toBe(1);
	expect(closes.at(-1)).toMatchObject({ terminal_sn: 'WPYB002248000865' });
});

test('"Cancel payment" while the cloud terminal waits closes the order on the gateway', async ({
	page
}) => {
	sim.setFaults({ terminalDelayMs: 30_000 });
	try {
		await openTill(page);
		const before = pushes().length;
		await chargeOnCard(page);
		await expect(page.getByRole('heading', { name: 'Waiting for the terminal…' })).toBeVisible();
		await page.getByRole('button', { name: 'Cancel payment' }).click();
		await expect(page.getByTestId('payment-failed')).toContainText('cancelled', {
			timeout: 20_000
		});
		await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);
		const order = pushes().slice(before)[0]!;
		const close = sim
			.requests()
			.find(
				(r) =>
					r.method === 'wisehub.cloud.pay.close' && r.merchant_order_no === order.merchant_order_no
			);
		expect(close).toMatchObject({ terminal_sn: 'WPYB002248000865', sign_type: 'RSA2' });
		expect(
			sim.orders().find((o) => o.merchant_order_no === order.merchant_order_no)?.trans_status
		).toBe(3);
	} finally {
		sim.setFaults({ terminalDelayMs: 0 });
	}
});

const queries = (merchantOrderNo: unknown) =>
	sim
		.requests()
		.filter((r) => r.method === 'order.query' && r.merchant_order_no === merchantOrderNo);

test("with the notification lost, the server's polling settles it", async ({ page }) => {
	sim.setFaults({ noNotification: true });
	await openTill(page);
	const before = pushes().length;
	await chargeOnCard(page);
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 30_000 });

	const sent = pushes().slice(before);
	expect(sent).toHaveLength(1);
	const order = sent[0]!;
	expect(
		sim.orders().find((o) => o.merchant_order_no === order.merchant_order_no)?.trans_status
	).toBe(2);
	// The gateway never told the server: only the server's signed order.query can have settled it.
	expect(sim.notifications().filter((n) => n.merchantOrderNo === order.merchant_order_no)).toEqual(
		[]
	);
	expect(queries(order.merchant_order_no).length).toBeGreaterThan(0);
	expect(queries(order.merchant_order_no)[0]).toMatchObject({ sign_type: 'RSA2' });
});

test('a forged notification gets a 400 and changes nothing', async ({ page }) => {
	const notify = async (fields: Record<string, unknown>) => {
		const r = await fetch(`${server.origin}/api/notify/codepay-cloud`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(fields)
		});
		return { status: r.status, body: (await r.text()).trim() };
	};
	const unsignedOf = (fields: Record<string, unknown>) => {
		const rest = { ...fields };
		delete rest.sign;
		return rest;
	};
	const resigned = (fields: Record<string, unknown>) => {
		const rest = unsignedOf(fields);
		const sig = sign('sha256', Buffer.from(canonical(rest)), gatewayKey).toString('base64');
		return { ...rest, sign: sig };
	};
	const stale = () => String(Date.now() - 20 * 60 * 1000);

	// A paid sale, and the genuine notification that settled it.
	await openTill(page);
	const before = pushes().length;
	await chargeOnCard(page);
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
	const paid = pushes().slice(before)[0]!;
	const genuine = sim
		.notifications()
		.find((n) => n.merchantOrderNo === paid.merchant_order_no && n.answer === 'success');
	expect(genuine).toBeDefined();
	const told = JSON.parse(genuine!.body) as Record<string, unknown>;
	expect(told.trans_status).toBe(2);

	// The paid order said to be cancelled: the signature no longer matches, is missing, or is
	// the gateway's own but on a 20-minute-old message.
	expect(told.sign).toBeTruthy();
	const cancelled = { ...told, trans_status: 3, resp_msg: 'Cancelled' };
	for (const forged of [
		cancelled,
		{ ...unsignedOf(told), trans_status: 3 },
		{ ...told, sign: 'Zm9yZ2Vk' },
		resigned({ ...cancelled, timestamp: stale() })
	]) {
		const answer = await notify(forged);
		expect(answer.status).toBe(400);
		expect(answer.body).not.toBe('success');
	}
	// The genuine one again is only a duplicate, answered as such.
	expect(await notify(told)).toEqual({ status: 200, body: 'success' });

	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
	await expect(page.getByTestId('order-status')).toHaveText('paid');
	expect(sim.orders().find((o) => o.merchant_order_no === paid.merchant_order_no)).toMatchObject({
		trans_status: 2
	});

	// A sale still on the terminal, said to be approved by a forged notification.
	sim.setFaults({ terminalDelayMs: 12_000 });
	await page.getByRole('link', { name: 'Sell' }).click();
	await page.getByRole('button', { name: 'New sale' }).click();
	await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
	const before2 = pushes().length;
	await chargeOnCard(page);
	await expect(page.getByRole('heading', { name: 'Waiting for the terminal…' })).toBeVisible();
	await expect.poll(() => pushes().length).toBeGreaterThan(before2);
	const pending = pushes().slice(before2)[0]!;
	const onGateway = () =>
		sim.orders().find((o) => o.merchant_order_no === pending.merchant_order_no);
	await expect.poll(() => onGateway()?.trans_status).toBe(0);
	const approved = {
		...told,
		merchant_order_no: pending.merchant_order_no,
		trans_no: onGateway()!.trans_no,
		timestamp: String(Date.now())
	};
	for (const forged of [
		approved,
		unsignedOf(approved),
		resigned({ ...approved, timestamp: stale() })
	]) {
		const answer = await notify(forged);
		expect(answer.status).toBe(400);
		expect(answer.body).not.toBe('success');
	}
	await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);
	// Still in progress on the gateway, so the till's state is the forgeries' doing, if anything.
	expect(onGateway()?.trans_status).toBe(0);
	await expect(page.getByRole('heading', { name: 'Waiting for the terminal…' })).toBeVisible();

	// The terminal finishes; the genuine notification settles the sale, once.
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 30_000 });
	expect(
		sim
			.notifications()
			.filter((n) => n.merchantOrderNo === pending.merchant_order_no)
			.map((n) => n.answer)
	).toContain('success');
	expect(pushes().slice(before2)).toHaveLength(1);
});
