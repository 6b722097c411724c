/**
 * Issue 13, the store's part of the back office, end to end on a server of its own that starts
 * with no store at all (no POS_CONFIG): the setup screen, the owner's first till, a cashier added
 * in the back office who cannot reach it (screen and API), the receipt with the store's own lines,
 * and a till revoked in the back office that is refused at once and says why.
 */
import { expect, test, type Page, type Request } from '@playwright/test';
import { startPosServer, type PosServer } from './pos-server';
import { addProduct } from './fixtures';

/** Below the system's port-0 range, used by no other test. */
const PORT = 17471;
const OWNER_PIN = '4321';
const CASHIER_PIN = '1357';
let server: PosServer;

test.beforeAll(async () => {
	server = await startPosServer({
		PORT: String(PORT),
		POS_CONFIG: undefined,
		POS_PAIRING_CODE: undefined
	});
});

test.afterAll(async () => {
	await server?.stop();
});

async function signIn(page: Page, pin: string): Promise<void> {
	await page.getByLabel('Staff PIN').fill(pin);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
}

/** The credentials the till sends, read off its next config request. */
function credentialsOf(request: Request): Record<string, string> {
	const headers = request.headers();
	return {
		authorization: headers.authorization ?? '',
		'x-staff-session': headers['x-staff-session'] ?? ''
	};
}

test('a fresh server is set up, staffed, sells with its receipt lines, and revokes a till', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const office = await (await browser.newContext()).newPage();
	await office.goto(server.origin);

	// First start: the setup screen, not the demo.
	// A cold server on a busy machine: the first page may take a while.
	await expect(office.getByRole('heading', { name: 'Set up your store' })).toBeVisible({
		timeout: 45_000
	});
	await office.getByLabel('Store name').fill('Corner Bakery');
	await office.getByLabel('Address').fill('12 Baker Street');
	await office.getByLabel('Tax number').fill('VAT-998877');
	await office.getByLabel('Currency').fill('USD');
	await office.getByLabel('Locale').fill('en-US');
	await office.getByLabel('Time zone').fill('America/New_York');
	await office.getByLabel('Receipt header').fill('Fresh bread every morning');
	await office.getByLabel('Receipt footer').fill('See you tomorrow');
	await office.getByLabel('Name', { exact: true }).fill('Sales tax');
	await office.getByLabel('Rate (%)').fill('8.25');
	await office.getByLabel("Owner's name").fill('Olga Owner');
	await office.getByLabel("Owner's PIN").fill(OWNER_PIN);
	await office.getByLabel('PIN again').fill(OWNER_PIN);
	await office.getByRole('button', { name: 'Set up the store' }).click();

	// Then the code that pairs the first till, filled in to pair this PC.
	const firstCode = await office.getByTestId('first-pairing-code').textContent();
	expect(firstCode).toMatch(/^\d{8}$/);
	await expect(office.getByLabel('Pairing code')).toHaveValue(firstCode!);
	await office.getByLabel('Name of this till').fill('Office PC');
	await office.getByRole('button', { name: 'Pair' }).click();
	await signIn(office, OWNER_PIN);

	// A second setup is refused by the server.
	const again = await fetch(`${server.origin}/api/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'Evil' })
	});
	expect(again.status).toBe(409);

	// The owner adds a cashier in the back office.
	await office.getByRole('link', { name: 'Back office' }).click();
	await office
		.getByRole('navigation', { name: 'Back office' })
		.getByRole('link', { name: 'Staff' })
		.click();
	await office.getByLabel('Name', { exact: true }).fill('Cass Cashier');
	await office.getByLabel('Role', { exact: true }).selectOption('cashier');
	await office.getByLabel('PIN', { exact: true }).fill(CASHIER_PIN);
	await office.getByRole('button', { name: 'Add' }).click();
	await expect(office.getByText('Cass Cashier was added.')).toBeVisible();
	await expect(office.getByLabel('Name of Cass Cashier')).toHaveValue('Cass Cashier');

	// The tax rate typed at setup is the store's.
	await office
		.getByRole('navigation', { name: 'Back office' })
		.getByRole('link', { name: 'Taxes' })
		.click();
	await expect(office.getByRole('row', { name: /Sales tax.*8\.25 %/ })).toBeVisible();

	// A new store sells nothing yet: the owner adds a category and a product.
	await office
		.getByRole('navigation', { name: 'Back office' })
		.getByRole('link', { name: 'Catalog' })
		.click();
	await office.getByRole('tab', { name: 'Categories' }).click();
	const category = office.getByRole('form', { name: 'Category' });
	await category.getByLabel('Name').fill('Coffee');
	await category.getByRole('button', { name: 'Save category' }).click();
	await expect(office.getByRole('cell', { name: 'Coffee', exact: true })).toBeVisible();
	await office.getByRole('tab', { name: 'Products' }).click();
	await office.getByRole('button', { name: 'Add a product' }).click();
	const product = office.getByRole('form', { name: 'Product' });
	await product.getByLabel('SKU').fill('LAT-1');
	await product.getByLabel('Name').fill('Caffè Latte');
	await product.getByLabel('Category').selectOption({ label: 'Coffee' });
	await product.getByLabel('Price', { exact: true }).fill('4.50');
	await product.getByRole('button', { name: 'Save product' }).click();
	await expect(office.getByRole('cell', { name: 'LAT-1' })).toBeVisible();

	// A new pairing code for the counter till.
	await office
		.getByRole('navigation', { name: 'Back office' })
		.getByRole('link', { name: 'Store' })
		.click();
	await office.getByRole('button', { name: 'Make a new pairing code' }).click();
	const counterCode = (await office.getByTestId('new-pairing-code').textContent())!;

	// The counter till: paired, the cashier signs in, and sees no back office.
	const counter = await (await browser.newContext()).newPage();
	await counter.goto(server.origin);
	await expect(counter.getByRole('heading', { name: 'Pair this till' })).toBeVisible();
	await counter.getByLabel('Pairing code').fill(counterCode);
	await counter.getByLabel('Name of this till').fill('Counter');
	await counter.getByRole('button', { name: 'Pair' }).click();
	const configCall = counter.waitForRequest(
		(r) => r.url().endsWith('/api/config') && Boolean(r.headers()['x-staff-session'])
	);
	await signIn(counter, CASHIER_PIN);
	const cashier = credentialsOf(await configCall);
	await expect(counter.getByRole('link', { name: 'Back office' })).toHaveCount(0);
	// Typed-in address, followed in the app (a reload would wait for the journal's lock).
	await counter.evaluate(() => {
		const link = Object.assign(document.createElement('a'), { href: '/backoffice/staff' });
		document.body.append(link);
		link.click();
	});
	await expect(counter.getByTestId('backoffice-refused')).toContainText(
		'Only a manager or the owner can open the back office'
	);
	await expect(counter.getByLabel('Name of Cass Cashier')).toHaveCount(0);
	// The server refuses the cashier's session the same, on every back-office call.
	for (const path of ['staff', 'terminals', 'tills', 'audit', 'profile']) {
		const res = await fetch(`${server.origin}/api/backoffice/${path}`, { headers: cashier });
		expect(res.status, path).toBe(403);
	}
	const add = await fetch(`${server.origin}/api/backoffice/staff`, {
		method: 'POST',
		headers: { ...cashier, 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'Me', role: 'owner', pin: '9090' })
	});
	expect(add.status).toBe(403);

	// A sale: the receipt carries the store's header, address, tax number and footer.
	await counter.getByRole('link', { name: 'Sell' }).click();
	await addProduct(counter, 'Caffè Latte');
	await counter.getByRole('button', { name: /^Charge/ }).click();
	await counter.getByRole('tab', { name: 'Cash' }).click();
	await counter.getByLabel('Amount tendered').fill('20');
	await counter.getByRole('button', { name: 'Take cash' }).click();
	const receipt = counter.getByRole('article', { name: 'Receipt' });
	await expect(receipt).toContainText('Corner Bakery');
	await expect(receipt.getByTestId('receipt-header')).toHaveText('Fresh bread every morning');
	await expect(receipt.getByTestId('receipt-address')).toHaveText('12 Baker Street');
	await expect(receipt.getByTestId('receipt-tax-number')).toHaveText('Tax no. VAT-998877');
	await expect(receipt.getByTestId('receipt-footer')).toHaveText('See you tomorrow');

	// The owner revokes the counter till.
	await office
		.getByRole('navigation', { name: 'Back office' })
		.getByRole('link', { name: 'Tills' })
		.click();
	const counterRow = office.getByTestId('till-2');
	await expect(counterRow.getByLabel('Name of till 2')).toHaveValue('Counter');
	await counterRow.getByRole('button', { name: 'Revoke' }).click();
	await expect(counterRow).toContainText('Revoked');
	await expect(counterRow).toContainText(/synced everything|unsynced changes|never said/);

	// Refused at once, with a message the till shows; its journal stays.
	const refused = await fetch(`${server.origin}/api/config`, { headers: cashier });
	expect(refused.status).toBe(401);
	expect((await refused.json()).error).toBe('device_revoked');
	// The till learns it with its next sync (every 15 s), and says so.
	await expect(
		counter.getByRole('heading', { name: 'This till was removed by a manager' })
	).toBeVisible({ timeout: 60_000 });
	const kept = await counter.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
	expect(kept.length).toBeGreaterThan(0);

	// Every change is in the audit log, newest first.
	await office
		.getByRole('navigation', { name: 'Back office' })
		.getByRole('link', { name: 'Audit log' })
		.click();
	const log = office.getByRole('table');
	await expect(log.getByRole('row').nth(1)).toContainText('till.revoked');
	await expect(log).toContainText('staff.added');
	await expect(log).toContainText('store.set_up');
});
