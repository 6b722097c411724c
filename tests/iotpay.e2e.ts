/**
 * IOT Pay `CC_PAX` through the server (issue 12), as a cashier uses it. The test runs its own IOT
 * Pay simulator (gateway + PAX) and its own POS server with the `IOTPAY_*` settings pointing at it,
 * and checks what the gateway received: one signed `create_order` per payment, never a second.
 */
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startIotPaySimulator, type IotPaySimulator } from '../simulators/iotpay/server.js';
import { addProduct, openTill } from './fixtures';
import { demoConfig, startPosServer, type PosServer } from './pos-server';

/**
 * The POS servers of this file: below the range the system hands out for port 0 (32768 and up, as
 * the other servers and the simulator here use) and below the main run's `E2E_PORT` (20000 and up).
 */
const BASE_PORT = Number(process.env.E2E_IOTPAY_PORT ?? 17060);
const KEY = randomBytes(24).toString('base64url');
const MCH_ID = '10000576';
const TERMINAL = 'IOT Pay PAX (simulator)';

let sim: IotPaySimulator;

test.beforeAll(async () => {
	// Port 0: the system's choice, so that nothing else on the machine (or this run) collides.
	sim = await startIotPaySimulator({ port: 0, key: KEY, mchId: MCH_ID, cardMs: 1500 });
});
test.afterAll(async () => {
	await sim?.close();
});

function serverEnv(port: number, key: string): Record<string, string> {
	return {
		PORT: String(port),
		ORIGIN: `http://localhost:${port}`,
		IOTPAY_MCH_ID: MCH_ID,
		IOTPAY_KEY: key,
		IOTPAY_BASE_URL: sim.url,
		// Shorter than the simulator's "very slow" answer, so that the slow case times out, and a
		// short polling window after it, so that a result later than that is left to the till.
		IOTPAY_CREATE_TIMEOUT_MS: '4000',
		IOTPAY_POLL_FOR_MS: '6000'
	};
}

/** Orders the gateway holds that it did not hold before. */
function newOrders(before: string[]) {
	return sim.orders().filter((o) => !before.includes(o.mchOrderNo));
}
const known = () => sim.orders().map((o) => o.mchOrderNo);

async function chargeOnIotPay(page: Page, product = 'Butter Croissant'): Promise<void> {
	await addProduct(page, product);
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByLabel('Terminal').selectOption({ label: TERMINAL });
	await page.getByRole('button', { name: /on card$/ }).click();
}

/** The one order of this test at the gateway, asked for with exactly one create_order. */
async function expectOneOrder(before: string[]) {
	await expect.poll(() => newOrders(before).length).toBe(1);
	const order = newOrders(before)[0]!;
	expect(sim.createCount(order.mchOrderNo)).toBe(1);
	return order;
}

test.describe('IOT Pay (PAX) through the server', () => {
	let server: PosServer;
	test.use({ baseURL: `http://localhost:${BASE_PORT}` });
	test.beforeAll(async () => {
		server = await startPosServer(serverEnv(BASE_PORT, KEY), demoConfig());
	});
	test.afterAll(async () => {
		await server?.stop();
	});
	test.beforeEach(async ({ page }) => {
		sim.reset();
		await openTill(page);
	});

	test('an approved sale: follow the terminal, then the card details on the receipt', async ({
		page
	}) => {
		const before = known();
		await chargeOnIotPay(page);
		await expect(page.getByText('Ask the customer to follow the terminal.')).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
		const order = await expectOneOrder(before);
		const receipt = page.getByRole('article', { name: 'Receipt' });
		await expect(receipt).toContainText('VISA CREDIT •••• 4242');
		await expect(receipt).toContainText(`Auth ${order.extra.authNum}`);
		await expect(receipt).toContainText(order.extra.termInvoiceNum!);
		// What went to the gateway: cents as strings, signed, CC_PAX, the terminal's params.
		const [request] = sim
			.requests()
			.filter((r) => r.endpoint === 'create_order' && r.fields.mchOrderNo === order.mchOrderNo);
		expect(request).toMatchObject({
			validSign: true,
			fields: {
				channelId: 'CC_PAX',
				amount: '341',
				tip: '0',
				currency: 'USD',
				device: 'PAX-A920-DEMO',
				jobNo: 'demo',
				notifyUrl: 'http://localhost'
			}
		});

		// Refunds are not offered on the POS for this terminal: the order screen says where.
		await page.getByRole('link', { name: 'Orders' }).click();
		await page.locator('table.orders a').first().click();
		await expect(page.getByTestId('refund-note')).toHaveText(
			'Refunds of IOT Pay (PAX) payments are done on the PAX terminal itself, not from the POS.'
		);
		await expect(page.getByRole('button', { name: 'Refund' })).toHaveCount(0);
	});

	test('a decline shows the terminal’s message, and Cancel says it is done on the terminal', async ({
		page
	}) => {
		sim.setFaults({ decline: true, declineMessage: 'DECLINED 05 CALL ISSUER', cardMs: 3000 });
		const before = known();
		await chargeOnIotPay(page);
		await page.getByRole('button', { name: 'Cancel payment' }).click();
		await expect(
			page.getByRole('alert').filter({ hasText: 'press Cancel (the red key) on the terminal' })
		).toBeVisible();
		await expect(page.getByTestId('payment-failed')).toHaveText(
			'Card payment cancelled: DECLINED 05 CALL ISSUER',
			{ timeout: 20_000 }
		);
		await expect(page.getByTestId('amount-due')).toHaveText('$3.41');
		await expectOneOrder(before);
	});

	test('a create_order answered too late is settled by the server’s query_order', async ({
		page
	}) => {
		test.setTimeout(90_000);
		sim.setFaults({ slowMs: 30_000 });
		const before = known();
		await chargeOnIotPay(page);
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 40_000 });
		const order = await expectOneOrder(before);
		const queries = sim
			.requests()
			.filter((r) => r.endpoint === 'query_order' && r.fields.mchOrderNo === order.mchOrderNo);
		expect(queries.length).toBeGreaterThan(0);
		expect(queries.every((q) => q.validSign)).toBe(true);
	});

	test('a result later than the server’s polling is shown unknown, then settled by the till’s checks', async ({
		page
	}) => {
		test.setTimeout(90_000);
		// create_order is never answered, and query_order knows the result only 15 s after the card.
		sim.setFaults({ hangCreate: true, queryDelayMs: 15_000 });
		const before = known();
		await chargeOnIotPay(page);
		await expect(page.getByRole('heading', { name: 'Checking the terminal…' })).toBeVisible({
			timeout: 30_000
		});
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 40_000 });
		const order = await expectOneOrder(before);
		expect(
			sim
				.requests()
				.filter((r) => r.endpoint === 'query_order' && r.fields.mchOrderNo === order.mchOrderNo)
				.length
		).toBeGreaterThan(1);
	});

	test('a till reloaded while the PAX takes the card gets the result when it is back', async ({
		page
	}) => {
		test.setTimeout(90_000);
		sim.setFaults({ cardMs: 6000 });
		const before = known();
		await chargeOnIotPay(page);
		await expect(page.getByText('Waiting for the terminal…')).toBeVisible();
		await expect.poll(() => newOrders(before).length).toBe(1);
		const orderNumber = (await page.getByRole('heading', { name: /^Order / }).textContent())!
			.replace('Order', '')
			.trim();

		await page.reload();

		await page.getByRole('link', { name: 'Orders' }).click();
		await page.getByRole('link', { name: orderNumber }).click();
		await expect(page.getByTestId('order-status')).toHaveText('paid', { timeout: 30_000 });
		await expect(page.locator('tr[data-state="approved"][data-testid="attempt-row"]')).toHaveCount(
			1
		);
		await expectOneOrder(before);
	});
});

test.describe('IOT Pay with the wrong merchant key', () => {
	let server: PosServer;
	test.use({ baseURL: `http://localhost:${BASE_PORT + 1}` });
	test.beforeAll(async () => {
		server = await startPosServer(serverEnv(BASE_PORT + 1, 'not-the-merchant-key'), demoConfig());
	});
	test.afterAll(async () => {
		await server?.stop();
	});

	test('the cashier is told the key is wrong, and nothing is charged', async ({ page }) => {
		sim.reset();
		await openTill(page);
		const before = known();
		const requestsBefore = sim.requests().length;
		await chargeOnIotPay(page);
		const failed = page.getByTestId('payment-failed');
		await expect(failed).toContainText('IOTPAY_KEY on the POS server is not the merchant key');
		await expect(failed).toContainText('Nothing was charged.');
		await expect(page.getByTestId('amount-due')).toHaveText('$3.41');
		// The gateway refused the one request (bad signature) and holds no order for it.
		const sent = sim.requests().slice(requestsBefore);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ endpoint: 'create_order', validSign: false });
		expect(newOrders(before)).toEqual([]);
	});
});
