/**
 * Pay by link and the kiosk redirect (issue 11), as a cashier and a customer use them: the till
 * shows the gateway's checkout page as a QR code; the "customer" opens it in another page and
 * pays, and the till moves to paid by itself. A link that expires or that the cashier cancels
 * charges nothing. In kiosk mode the till's own browser goes to the page and comes back to the
 * return page, which believes only the server (a signed query when the notification is lost or
 * late); a forged return changes nothing. A paid link is refunded from the order screen with the
 * manager's PIN.
 *
 * The gateway simulator (with its hosted page) runs in this test process on a loopback port.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
	startCloudGatewaySimulator,
	type CloudGatewaySimulator
} from '../simulators/codepay-cloud/server.js';
import { addProduct, CASHIER_PIN, MANAGER_PIN, PAIRING_CODE } from './fixtures';
import { demoConfig, startPosServer, type PosServer } from './pos-server';

// Below the system's port-0 range and the main run's E2E_PORT (20000 and up); not used elsewhere.
const POS_PORT = 18031;
let server: PosServer;
let sim: CloudGatewaySimulator;
let keyDir: string;

test.beforeAll(async () => {
	keyDir = mkdtempSync(join(tmpdir(), 'pos-link-e2e-'));
	const pem = (key: { export(o: object): string | Buffer }, type: string) =>
		String(key.export({ type, format: 'pem' }));
	const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const merchantKeyFile = join(keyDir, 'merchant.pem');
	writeFileSync(merchantKeyFile, pem(merchant.privateKey, 'pkcs8'));
	sim = await startCloudGatewaySimulator({
		port: 0,
		merchantPublicKey: pem(merchant.publicKey, 'spki'),
		gatewayPrivateKey: pem(gateway.privateKey, 'pkcs8'),
		retryMs: 500
	});
	const config = demoConfig();
	config.terminals = [
		{
			id: 'link-1',
			name: 'Pay by link',
			rail: 'codepay-link',
			currency: 'USD',
			params: { expiresSeconds: 600, allowOptions: 'Card,ApplePay' }
		},
		{
			id: 'link-short',
			name: 'Pay by link (short)',
			rail: 'codepay-link',
			currency: 'USD',
			params: { expiresSeconds: 6 }
		}
	];
	config.devicePrefix = 'LNK';
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

// The machine these run on is shared: a till's first sign-in can take a while.
test.describe.configure({ timeout: 120_000 });

test.beforeEach(() => {
	sim.setFaults({ noNotification: false, notifyDelayMs: 0 });
});

async function openTill(page: Page, pin = CASHIER_PIN): Promise<void> {
	await page.goto(server.origin);
	await page.getByLabel('Pairing code').fill(PAIRING_CODE);
	await page.getByRole('button', { name: 'Pair' }).click();
	await page.getByLabel('Staff PIN').fill(pin);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible({
		timeout: 40_000
	});
}

async function payByLink(page: Page, terminal = 'link-1'): Promise<void> {
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByLabel('Terminal').selectOption(terminal);
	await page.getByRole('button', { name: /on card$/ }).click();
}

const checkouts = () => sim.requests().filter((r) => r.method === 'pay.checkout');
const lastCheckout = () => checkouts().at(-1)!;

test('the QR code is paid on another page, and the till moves to paid by itself', async ({
	page,
	context
}) => {
	await openTill(page);
	const before = checkouts().length;
	await payByLink(page);
	const panel = page.getByTestId('pay-by-link');
	await expect(panel.getByTestId('link-qr').locator('svg')).toBeVisible();
	await expect(panel).toContainText('$');
	await expect(panel.getByTestId('link-countdown')).toHaveText(/^(10:00|9:5\d)$/);
	await expect(panel.getByRole('button', { name: 'Copy link' })).toBeVisible();
	expect(checkouts().length - before).toBe(1);
	const sent = lastCheckout();
	expect(String(sent.merchant_order_no)).toMatch(/^LNK/);
	expect(JSON.parse(String(sent.order_detail)).data.items[0].name).toBe('Butter Croissant');
	const returnUrl = new URL(String(sent.return_url));
	expect([...returnUrl.searchParams.keys()]).toEqual(['ref']);
	const payUrl = await panel.getByRole('link').getAttribute('href');

	const customer = await context.newPage();
	await customer.goto(payUrl!);
	await expect(customer.getByTestId('status')).toHaveText('Waiting');
	await customer.getByRole('button', { name: 'Pay', exact: true }).click();
	// The simulator sends the customer on to the POS's return page.
	await expect(customer.getByTestId('return-status')).toHaveAttribute('data-status', 'paid', {
		timeout: 40_000
	});

	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 40_000 });
	const told = sim.notifications().filter((n) => n.merchantOrderNo === sent.merchant_order_no);
	expect(told[0]?.answer).toBe('success');
});

test('a link that expires charges nothing', async ({ page }) => {
	await openTill(page);
	await payByLink(page, 'link-short');
	await expect(page.getByTestId('link-qr')).toBeVisible();
	await expect(page.getByTestId('payment-failed')).toContainText('expired', { timeout: 30_000 });
	await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);
	const no = sim
		.requests()
		.filter((r) => r.method === 'pay.checkout')
		.at(-1)!.merchant_order_no;
	expect(sim.orders().find((o) => o.merchant_order_no === no)?.trans_status).toBe(1);
});

test('the cashier cancels the link: order.revoker, and the page can no longer be paid', async ({
	page
}) => {
	await openTill(page);
	await payByLink(page);
	await expect(page.getByTestId('link-qr')).toBeVisible();
	const no = lastCheckout().merchant_order_no;
	await page.getByRole('button', { name: 'Cancel payment' }).click();
	await expect(page.getByTestId('payment-failed')).toContainText('cancelled', { timeout: 40_000 });
	const revokes = sim.requests().filter((r) => r.method === 'order.revoker');
	expect(revokes.filter((r) => r.merchant_order_no === no)).toHaveLength(1);
	expect(sim.orders().find((o) => o.merchant_order_no === no)?.trans_status).toBe(3);
});

async function turnOnKiosk(page: Page): Promise<void> {
	await openTill(page, MANAGER_PIN);
	await page.getByRole('link', { name: 'Settings' }).click();
	const row = page.getByRole('row', { name: /Pay by link\s/ }).first();
	await row.getByRole('button', { name: 'Edit' }).click();
	await page.getByLabel(/Kiosk mode on this till/).check();
	await page.getByRole('button', { name: 'Save' }).click();
	await page.getByRole('link', { name: 'Sell' }).click();
}

for (const [name, faults] of [
	['the notification lost: settled by a signed query', { noNotification: true }],
	['the return before the notification', { notifyDelayMs: 6_000 }]
] as const) {
	test(`kiosk: the till's browser pays on the page and comes back, ${name}`, async ({ page }) => {
		sim.setFaults(faults);
		await turnOnKiosk(page);
		await payByLink(page);
		// The browser itself is sent to the gateway's page.
		await expect(page.getByTestId('status')).toHaveText('Waiting', { timeout: 40_000 });
		const no = lastCheckout().merchant_order_no;
		await page.getByRole('button', { name: 'Pay', exact: true }).click();
		await expect(page).toHaveURL(/\/pay-return\?ref=/);
		await expect(page.getByTestId('return-status')).toHaveAttribute('data-status', 'paid', {
			timeout: 40_000
		});
		const queried = sim
			.requests()
			.filter((r) => r.method === 'order.query' && r.merchant_order_no === no);
		expect(queried.length).toBeGreaterThan(0);
		expect(sim.notifications().filter((n) => n.merchantOrderNo === no)).toHaveLength(0);
		await page.getByRole('link', { name: 'Back to the till' }).click();
		await page.getByRole('link', { name: 'Orders' }).click();
		await page.locator('table.orders a').first().click();
		await expect(page.getByTestId('order-status')).toHaveText('paid', { timeout: 40_000 });
		if ('notifyDelayMs' in faults) {
			// The late notification is taken (`success`) and changes nothing.
			await expect
				.poll(() => sim.notifications().find((n) => n.merchantOrderNo === no)?.answer, {
					timeout: 40_000
				})
				.toBe('success');
			await expect(page.getByTestId('order-status')).toHaveText('paid');
		}
	});
}

test('a forged or replayed return changes nothing and shows no more than the status', async ({
	page,
	context
}) => {
	sim.setFaults({ noNotification: true });
	await openTill(page);
	await payByLink(page);
	await expect(page.getByTestId('link-qr')).toBeVisible();
	const sent = lastCheckout();
	const ref = new URL(String(sent.return_url)).searchParams.get('ref')!;
	const visitor = await context.browser()!.newContext();
	const stranger = await visitor.newPage();
	// A made-up reference, dressed as a paid return.
	await stranger.goto(
		`${server.origin}/pay-return?ref=${'A'.repeat(43)}&trans_status=2&merchant_order_no=${sent.merchant_order_no}`
	);
	await expect(stranger.getByRole('alert')).toHaveText('This page does not know that payment.');
	// The real reference with a forged "paid": the server's word is "still confirming".
	await stranger.goto(`${server.origin}/pay-return?ref=${ref}&trans_status=2`);
	await expect(stranger.getByTestId('return-status')).toHaveAttribute('data-status', 'confirming');
	await expect(stranger.getByText('Back to the till')).toHaveCount(0);
	await expect(stranger.locator('main')).not.toContainText(String(sent.merchant_order_no));
	await stranger.reload();
	await expect(stranger.getByTestId('return-status')).toHaveAttribute('data-status', 'confirming');
	await expect(page.getByTestId('link-qr')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);
	expect(
		sim.orders().find((o) => o.merchant_order_no === sent.merchant_order_no)?.trans_status
	).toBe(9);
	await visitor.close();
	await page.getByRole('button', { name: 'Cancel payment' }).click();
	await expect(page.getByTestId('payment-failed')).toContainText('cancelled', { timeout: 40_000 });
});

test('a paid link is refunded in part from the order screen with the manager PIN', async ({
	page,
	context
}) => {
	await openTill(page);
	await payByLink(page);
	const payUrl = await page.getByTestId('pay-by-link').getByRole('link').getAttribute('href');
	const sale = lastCheckout();
	const customer = await context.newPage();
	await customer.goto(payUrl!);
	await customer.getByRole('button', { name: 'Pay', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 40_000 });
	await customer.close();

	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
	await page.getByRole('button', { name: 'Refund' }).click();
	await page.getByLabel('Refund amount').fill('1.00');
	await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
	await page.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByTestId('order-status')).toHaveText('partially refunded', {
		timeout: 40_000
	});
	const refunds = sim.requests().filter((r) => r.method === 'order.refund.submit');
	expect(refunds.filter((r) => r.orig_merchant_order_no === sale.merchant_order_no)).toEqual([
		expect.objectContaining({ order_amount: 1, price_currency: 'USD' })
	]);
	const refundNo = refunds.at(-1)!.merchant_order_no;
	expect(
		sim
			.requests()
			.some((r) => r.method === 'order.refund.query' && r.merchant_order_no === refundNo)
	).toBe(true);
});
