/**
 * Card entry (card not present), as a cashier takes a phone order: the card typed into the till's
 * form is encrypted in the browser with the gateway's public key, and only that ciphertext goes to
 * the POS server, which charges it with `pay.merchant.checkout` on the gateway simulator and
 * confirms the result by a signed `order.query`. With 3-D Secure the gateway's page opens in a
 * pop-up; a decline says so; a partial refund needs the manager PIN. The last test searches the
 * server's output, its store (every table, and the raw files), the till's IndexedDB, the sync
 * payloads and all of the till's network traffic for the card number and security code.
 *
 * The gateway simulator runs in this process on a loopback port; this test's own POS server gets
 * throwaway keys through the CODEPAY_* variables and a data directory the test reads afterwards.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import {
	startCloudGatewaySimulator,
	type CloudGatewaySimulator
} from '../simulators/codepay-cloud/server.js';
import { addProduct, CASHIER_PIN, MANAGER_PIN, PAIRING_CODE } from './fixtures';
import { demoConfig, startPosServer, type PosServer } from './pos-server';

// Below the system's port-0 range and the main run's E2E_PORT (20000 and up), used nowhere else.
const POS_PORT = 18031;
const PLAIN_HTTP_PORT = 18032;
const TERMINAL = 'Card entry';
const PAN = '4111111111111111';
const PAN_TYPED = '4111 1111 1111 1111';
const CVV = '737';
let server: PosServer;
let sim: CloudGatewaySimulator;
let dataDir: string;
let env: Record<string, string>;
let config: ReturnType<typeof demoConfig>;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'pos-card-entry-e2e-'));
	const pem = (key: { export(o: object): string | Buffer }, type: string) =>
		String(key.export({ type, format: 'pem' }));
	const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
	sim = await startCloudGatewaySimulator({
		port: 0,
		merchantPublicKey: pem(merchant.publicKey, 'spki'),
		gatewayPrivateKey: pem(gateway.privateKey, 'pkcs8'),
		retryMs: 500
	});
	config = demoConfig();
	config.terminals = [
		{ id: 'card-1', name: TERMINAL, rail: 'codepay-card', currency: 'USD', params: {} }
	];
	config.devicePrefix = 'CNP';
	env = {
		CODEPAY_GATEWAY_URL: sim.url,
		CODEPAY_APP_ID: 'sim-cloud-app',
		CODEPAY_MERCHANT_NO: '302300000926',
		CODEPAY_MERCHANT_PRIVATE_KEY: pem(merchant.privateKey, 'pkcs8'),
		CODEPAY_GATEWAY_PUBLIC_KEY: pem(gateway.publicKey, 'spki'),
		CODEPAY_NOTIFY_URL: `http://127.0.0.1:${POS_PORT}/api/notify/codepay-cloud`
	};
	server = await startPosServer(
		{ ...env, PORT: String(POS_PORT), POS_DATA_DIR: join(dataDir, 'pglite') },
		config
	);
});

test.afterAll(async () => {
	await server?.stop();
	await sim?.close();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openTill(page: Page, origin = server.origin): Promise<void> {
	await page.goto(origin);
	await page.getByLabel('Pairing code').fill(PAIRING_CODE);
	await page.getByRole('button', { name: 'Pair' }).click();
	await page.getByLabel('Staff PIN').fill(CASHIER_PIN);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
}

async function toCardEntry(page: Page): Promise<void> {
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByLabel('Terminal').selectOption('card-1');
	await expect(page.getByTestId('card-entry')).toBeVisible();
}

async function typeCard(page: Page, number: string, cvv = CVV): Promise<void> {
	const form = page.getByTestId('card-entry');
	await form.getByLabel('Card number').fill(number);
	await form.getByLabel('Expiry (MM/YY)').fill('12/30');
	await form.getByLabel('Security code').fill(cvv);
	await form.getByLabel('Name on the card').fill('Ada Lovelace');
}

const checkouts = () => sim.requests().filter((r) => r.method === 'pay.merchant.checkout');

test('a typed card is charged once, encrypted, and confirmed by a signed query; then refunded in part with the manager PIN', async ({
	page
}) => {
	await openTill(page);
	await toCardEntry(page);
	const form = page.getByTestId('card-entry');
	await form.getByLabel('Card number').fill('5555');
	await expect(form.getByTestId('card-brand')).toHaveText('Mastercard');
	await typeCard(page, PAN_TYPED);
	await expect(form.getByTestId('card-brand')).toHaveText('Visa');
	const before = checkouts().length;
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });

	const sent = checkouts().slice(before);
	expect(sent).toHaveLength(1);
	expect(String(sent[0]!.card)).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
	const no = String(sent[0]!.merchant_order_no);
	expect(no).toMatch(/^CNP/);
	// The gateway decrypted it: the card it charged is the one typed.
	expect(sim.orders().find((o) => o.merchant_order_no === no)).toMatchObject({
		trans_status: 2,
		card_no: '411111******1111'
	});
	expect(sim.requests().some((r) => r.method === 'order.query' && r.merchant_order_no === no)).toBe(
		true
	);

	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
	await page.getByRole('button', { name: 'Refund' }).click();
	await page.getByLabel('Refund amount').fill('1.00');
	await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
	await page.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByTestId('order-status')).toHaveText('partially refunded', {
		timeout: 20_000
	});
	const refunds = sim.requests().filter((r) => r.method === 'order.refund.submit');
	expect(refunds.filter((r) => r.orig_merchant_order_no === no)).toHaveLength(1);
	expect(refunds.find((r) => r.orig_merchant_order_no === no)).toMatchObject({ order_amount: 1 });
});

test('the form refuses what the gateway would refuse before anything is sent', async ({ page }) => {
	await openTill(page);
	await toCardEntry(page);
	const charge = page.getByRole('button', { name: /on card$/ });
	const before = sim.requests().length;
	await typeCard(page, '4111 1111 1111 1112');
	await page.getByTestId('card-entry').getByLabel('Card number').blur();
	await expect(page.getByText('The card number is mistyped')).toBeVisible();
	await expect(charge).toBeDisabled();
	await typeCard(page, '3782 822463 10005', '123');
	await page.getByTestId('card-entry').getByLabel('Security code').blur();
	await expect(page.getByText('The security code of this card has 4 digits.')).toBeVisible();
	await expect(charge).toBeDisabled();
	expect(sim.requests().length).toBe(before);
});

test('a declined card says so, and nothing is paid', async ({ page }) => {
	await openTill(page);
	await toCardEntry(page);
	await typeCard(page, '4000 0000 0000 0002');
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByTestId('payment-failed')).toContainText('declined', { timeout: 20_000 });
	await expect(page.getByTestId('payment-failed')).toContainText('Do not honour');
	await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);
	// The card is cleared for the next try.
	await expect(page.getByTestId('card-entry').getByLabel('Card number')).toHaveValue('');
});

test('3-D Secure opens in a pop-up; completed there, the sale is paid once the query confirms it', async ({
	page
}) => {
	await openTill(page);
	await toCardEntry(page);
	await typeCard(page, '4000 0000 0000 3220');
	const popupOpened = page.waitForEvent('popup');
	await page.getByRole('button', { name: /on card$/ }).click();
	const popup = await popupOpened;
	await expect(popup.getByRole('button', { name: 'Complete' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);
	await popup.getByRole('button', { name: 'Complete' }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
	const no = String(checkouts().at(-1)!.merchant_order_no);
	expect(sim.orders().find((o) => o.merchant_order_no === no)?.trans_status).toBe(2);
});

test('3-D Secure failed: the payment is declined', async ({ page }) => {
	await openTill(page);
	await toCardEntry(page);
	await typeCard(page, '4000 0000 0000 3220');
	const popupOpened = page.waitForEvent('popup');
	await page.getByRole('button', { name: /on card$/ }).click();
	const popup = await popupOpened;
	await popup.getByRole('button', { name: 'Fail' }).click();
	await expect(page.getByTestId('payment-failed')).toContainText('Authentication failed', {
		timeout: 20_000
	});
});

test('on plain http from another address the form says why card entry is unavailable', async ({
	page
}) => {
	const address = Object.values(networkInterfaces())
		.flat()
		.find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
	test.skip(!address, 'this machine has no non-loopback address to serve plain http from');
	// A second POS server starts, on a shared machine.
	test.setTimeout(150_000);
	const plain = await startPosServer(
		{ ...env, HOST: address!, PORT: String(PLAIN_HTTP_PORT) },
		config
	);
	try {
		await openTill(page, `http://${address}:${PLAIN_HTTP_PORT}`);
		expect(await page.evaluate(() => isSecureContext)).toBe(false);
		await toCardEntry(page);
		await expect(page.getByTestId('card-entry-unavailable')).toContainText(
			'Card entry is unavailable on this page'
		);
		await expect(page.getByTestId('card-entry').getByLabel('Card number')).toHaveCount(0);
		await expect(page.getByRole('button', { name: /on card$/ })).toBeDisabled();
	} finally {
		await plain.stop();
	}
});

/** Everything the till sent and every JSON answer it got, as text. */
function recordTraffic(context: BrowserContext): { text: () => string; urls: string[] } {
	const parts: string[] = [];
	const urls: string[] = [];
	context.on('request', (request) => {
		urls.push(request.url());
		parts.push(`${request.method()} ${request.url()}\n${JSON.stringify(request.headers())}`);
		parts.push(request.postData() ?? '');
	});
	context.on('response', async (response) => {
		if (!(response.headers()['content-type'] ?? '').includes('json')) return;
		parts.push(await response.text().catch(() => ''));
	});
	return { text: () => parts.join('\n'), urls };
}

/** The card number, as typed or bare, and the security code as a value or field. */
function leaks(text: string): string[] {
	const found: string[] = [];
	if (text.includes(PAN)) found.push('card number');
	if (text.includes(PAN_TYPED)) found.push('card number as typed');
	if (new RegExp(`["=:]${CVV}["&,}]|\\bcvv\\b`, 'i').test(text)) found.push('security code');
	return found;
}

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [path];
	});
}

test('the card number and security code reach no log, store, journal, sync or network traffic of ours', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	const traffic = recordTraffic(context);
	await openTill(page);
	await toCardEntry(page);
	await typeCard(page, PAN_TYPED);
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
	const no = String(checkouts().at(-1)!.merchant_order_no);
	expect(sim.orders().find((o) => o.merchant_order_no === no)?.card_no).toBe('411111******1111');
	// Synced: the server holds the sale.
	await expect(page.getByTestId('to-sync')).toHaveCount(0, { timeout: 30_000 });
	expect(traffic.urls.some((u) => u.endsWith('/api/sync'))).toBe(true);
	expect(traffic.text()).toContain(no);

	// The till's own storage: every IndexedDB database and store, and web storage.
	const stored = await page.evaluate(async () => {
		const out: unknown[] = [localStorage.length ? { ...localStorage } : {}, { ...sessionStorage }];
		for (const { name } of await indexedDB.databases()) {
			if (!name) continue;
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const open = indexedDB.open(name);
				open.onsuccess = () => resolve(open.result);
				open.onerror = () => reject(open.error);
			});
			for (const store of Array.from(db.objectStoreNames)) {
				const rows = await new Promise<unknown[]>((resolve, reject) => {
					const all = db.transaction(store).objectStore(store).getAll();
					all.onsuccess = () => resolve(all.result);
					all.onerror = () => reject(all.error);
				});
				out.push({ name, store, rows });
			}
			db.close();
		}
		return JSON.stringify(out);
	});
	expect(stored).toContain(no);
	expect(leaks(stored), 'IndexedDB / web storage').toEqual([]);
	expect(leaks(traffic.text()), 'the till’s network traffic (sync included)').toEqual([]);

	// The server: what it printed, then every table of its store and the store's raw files.
	await server.stop();
	expect(leaks(server.output()), 'server output').toEqual([]);
	const db = await PGlite.create(join(dataDir, 'pglite'));
	try {
		const tables = await db.query<{ table_name: string }>(
			`select table_name from information_schema.tables where table_schema = 'public'`
		);
		expect(tables.rows.length).toBeGreaterThan(3);
		let dump = '';
		for (const { table_name } of tables.rows) {
			const rows = await db.query(`select * from "${table_name}"`);
			dump += `${table_name}\n${JSON.stringify(rows.rows)}\n`;
		}
		expect(dump).toContain(no);
		expect(leaks(dump), 'the server’s store').toEqual([]);
	} finally {
		await db.close();
	}
	for (const file of filesUnder(join(dataDir, 'pglite'))) {
		const bytes = readFileSync(file);
		expect(bytes.includes(PAN), file).toBe(false);
		expect(bytes.includes(PAN_TYPED), file).toBe(false);
	}
});
