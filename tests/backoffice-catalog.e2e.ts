/**
 * Issue 13, the back office's catalog: a manager adds a modifier group and a product that needs
 * it, imports a CSV with a bad line (the preview names it and nothing is written until the import
 * is confirmed), a till sells the new product with its modifier and the receipt shows it; a
 * cashier's call to the catalog API is refused. On a server of its own (a fresh catalog).
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CASHIER_PIN, MANAGER_PIN, PAIRING_CODE } from './fixtures';
import { startPosServer, type PosServer } from './pos-server';

const PORT = 18131;
let server: PosServer;

test.beforeAll(async () => {
	test.setTimeout(180_000);
	server = await startPosServer({ PORT: String(PORT), ORIGIN: `http://localhost:${PORT}` });
	// The first request opens the store and seeds the demo catalog: not inside a test's timeout.
	await expect
		.poll(async () => (await fetch(`${server.origin}/api/health`)).status, { timeout: 150_000 })
		.toBe(200);
});

test.afterAll(async () => {
	await server?.stop();
});

async function openAsManager(page: Page) {
	await page.goto(`${server.origin}/`);
	await page.getByLabel('Pairing code').fill(PAIRING_CODE);
	await page.getByRole('button', { name: 'Pair' }).click();
	await page.getByLabel('Staff PIN').fill(MANAGER_PIN);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.locator('.tile').first()).toBeVisible();
}

async function api(path: string, init: RequestInit & { token?: string; session?: string } = {}) {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (init.token) headers.authorization = `Bearer ${init.token}`;
	if (init.session) headers['x-staff-session'] = init.session;
	const res = await fetch(`${server.origin}${path}`, { ...init, headers });
	return { status: res.status, body: await res.json() };
}

test('a manager adds a product with a required modifier and imports a CSV; a till sells it', async ({
	page
}) => {
	test.setTimeout(120_000);
	await openAsManager(page);
	await page.goto(`${server.origin}/backoffice/catalog`);

	// A required modifier group.
	await page.getByRole('tab', { name: 'Modifier groups' }).click();
	const group = page.getByRole('form', { name: 'Modifier group' });
	await group.getByLabel('Group name').fill('Syrup');
	await group.getByLabel('Required').check();
	await group.getByLabel('Option 1 name').fill('Hazelnut');
	await group.getByLabel('Option 1 price').fill('0.60');
	await group.getByRole('button', { name: 'Add an option' }).click();
	await group.getByLabel('Option 2 name').fill('Maple');
	await group.getByLabel('Option 2 price').fill('0.40');
	await group.getByRole('button', { name: 'Save modifier group' }).click();
	await expect(page.getByRole('cell', { name: 'Hazelnut +$0.60, Maple +$0.40' })).toBeVisible();

	// A product that needs it.
	await page.getByRole('tab', { name: 'Products' }).click();
	await page.getByRole('button', { name: 'Add a product' }).click();
	const form = page.getByRole('form', { name: 'Product' });
	await form.getByLabel('SKU').fill('HOT-CHOC');
	await form.getByLabel('Name').fill('Hot Chocolate');
	await form.getByLabel('Category').selectOption({ label: 'Coffee' });
	await form.getByLabel('Price', { exact: true }).fill('4.25');
	await form.getByLabel('Syrup (required)').check();
	await form.getByRole('button', { name: 'Save product' }).click();
	await expect(page.getByRole('cell', { name: 'HOT-CHOC' })).toBeVisible();

	// The CSV: the exported catalog, one new product and one bad line.
	await page.getByRole('tab', { name: 'Import / export' }).click();
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export the catalog (CSV)' }).click();
	const exported = readFileSync((await (await downloading).path())!, 'utf8');
	expect(exported).toContain('HOT-CHOC,Hot Chocolate,Coffee,4.25');
	const lines = exported.trimEnd().split('\r\n');
	const csv = [
		...lines,
		'GB-LATTE,"Gingerbread Latte, seasonal",Coffee,5.10,,false,,true,,,,',
		'BAD-1,Broken,Coffee,4,50,,false,,true,,,,'
	].join('\r\n');
	await page
		.getByLabel('CSV file')
		.setInputFiles({ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: 'Preview the import' }).click();
	const preview = page.getByTestId('import-preview');
	await expect(preview).toContainText('1 to add, 0 to change, 0 to deactivate');
	await expect(page.getByTestId('import-errors')).toHaveText(
		`Line ${lines.length + 2}: has 13 fields; the header has 12`
	);
	// Nothing is written by the preview.
	await page.getByRole('tab', { name: 'Products' }).click();
	await page.getByLabel('Find a product').fill('Gingerbread');
	await expect(page.getByRole('cell', { name: 'GB-LATTE' })).toHaveCount(0);
	await page.getByRole('tab', { name: 'Import / export' }).click();
	await page
		.getByLabel('CSV file')
		.setInputFiles({ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: 'Preview the import' }).click();
	await page.getByRole('button', { name: 'Confirm the import' }).click();
	await expect(page.getByText('Imported: 1 added, 0 changed, 0 deactivated.')).toBeVisible();

	// The till sells the new product: its required syrup is asked for first.
	await page.getByRole('link', { name: 'Sell' }).click();
	const search = page.getByRole('searchbox', { name: 'Search products' });
	await search.fill('Hot Chocolate');
	await page.locator('.tile', { hasText: 'Hot Chocolate' }).click();
	const chooser = page.getByRole('dialog', { name: 'Hot Chocolate' });
	await expect(chooser).toBeVisible();
	await expect(chooser.getByRole('button', { name: /^Add to sale/ })).toBeDisabled();
	await chooser.getByRole('radio', { name: /Hazelnut/ }).check();
	await chooser.getByLabel('Note').fill('extra hot');
	await chooser.getByRole('button', { name: 'Add to sale · $4.85' }).click();
	await expect(chooser).toBeHidden();
	await expect(page.getByTestId('line-modifiers')).toHaveText('Hazelnut +$0.60');

	await search.fill('Gingerbread');
	await page.locator('.tile', { hasText: 'Gingerbread Latte, seasonal' }).click();
	await search.fill('');
	// $4.85 + 8.25 % = $5.25; $5.10 + 8.25 % = $5.52.
	await expect(page.getByTestId('cart-total')).toHaveText('$10.77');

	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('tab', { name: 'Cash' }).click();
	await page.getByRole('button', { name: 'Exact' }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	const receipt = page.getByRole('article', { name: 'Receipt' });
	await expect(receipt).toContainText('1 × Hot Chocolate');
	await expect(receipt.getByTestId('receipt-modifier')).toHaveText('+ Hazelnut $0.60');
	await expect(receipt).toContainText('Note: extra hot');
	await expect(receipt).toContainText('Gingerbread Latte, seasonal');
});

test("a cashier's call to the catalog admin is refused, and the screen says so", async ({
	page
}) => {
	const paired = await api('/api/devices/pair', {
		method: 'POST',
		body: JSON.stringify({ code: PAIRING_CODE, name: 'Cashier till' })
	});
	const token = paired.body.token as string;
	const login = await api('/api/auth/login', {
		method: 'POST',
		token,
		body: JSON.stringify({ pin: CASHIER_PIN })
	});
	const session = login.body.sessionToken as string;
	const save = await api('/api/backoffice/catalog/products', {
		method: 'POST',
		token,
		session,
		body: JSON.stringify({
			sku: 'CHEAP-1',
			name: 'Free coffee',
			category: 'coffee',
			price: 0,
			taxInclusive: false
		})
	});
	expect(save).toEqual({ status: 403, body: expect.objectContaining({ error: 'not_a_manager' }) });
	expect((await api('/api/backoffice/catalog', { token, session })).status).toBe(403);
	expect((await api('/api/backoffice/taxes', { token, session })).status).toBe(403);
	const catalog = await api('/api/catalog', { token });
	expect(catalog.body.products.map((p: { sku: string }) => p.sku)).not.toContain('CHEAP-1');

	await page.goto(`${server.origin}/`);
	await page.getByLabel('Pairing code').fill(PAIRING_CODE);
	await page.getByRole('button', { name: 'Pair' }).click();
	await page.getByLabel('Staff PIN').fill(CASHIER_PIN);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.locator('.tile').first()).toBeVisible();
	await page.goto(`${server.origin}/backoffice/catalog`);
	// The back office's own guard answers first (its layout), before the catalog page would.
	await expect(page.getByTestId('backoffice-refused')).toContainText(
		'Only a manager or the owner can open the back office'
	);
	await expect(page.getByRole('button', { name: 'Add a product' })).toHaveCount(0);
});
