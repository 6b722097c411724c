/**
 * Issue 14 "Offline limits": with the network cut, a card payment over the owner's per-sale limit,
 * or one that would take the card money not yet synced past the total, is refused before anything
 * reaches the terminal, and the cashier is asked for another tender; under them it is taken.
 */
import { expect, test } from '@playwright/test';
import { addProduct, cents, openTill } from './fixtures';
import { demoConfig, startPosServer, type PosServer } from './pos-server';

test.describe.configure({ timeout: 120_000 });

let server: PosServer;
test.beforeAll(async () => {
	const config = demoConfig();
	config.offlineLimits = { perSaleCard: 400, totalCard: 600 };
	server = await startPosServer({}, config);
});
test.afterAll(async () => {
	await server?.stop();
});

test('offline, a card payment over the limits is refused and one under them is taken', async ({
	browser
}) => {
	const context = await browser.newContext({ baseURL: server.origin });
	const page = await context.newPage();
	try {
		await openTill(page);
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await context.setOffline(true);
		await expect(page.getByTestId('network-state')).toHaveText(/^Offline since/);

		// Two at $3.25 with 5 % tax on the line: $6.83, over the $4.00 per sale.
		await addProduct(page, 'Butter Croissant', 2);
		await page.getByRole('button', { name: /^Charge/ }).click();
		await expect(page.getByTestId('offline-limits')).toContainText(
			'card payments up to $4.00 each, $6.00 in all until synced ($6.00 left)'
		);
		await expect(page.getByTestId('offline-limit-exceeded')).toContainText('at most $4.00');
		await page.getByRole('button', { name: 'Charge $6.83 on card' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'Not sent.' })).toContainText(
			'a card payment may be at most $4.00'
		);
		await expect(page.getByTestId('payment-pending')).toHaveCount(0);
		await expect(page.getByTestId('amount-due')).toHaveText('$6.83');

		// Under the limit: taken.
		await page.getByLabel('Amount to charge').fill('3.41');
		await expect(page.getByTestId('offline-limit-exceeded')).toHaveCount(0);
		await page.getByRole('button', { name: 'Charge $3.41 on card' }).click();
		await expect
			.poll(async () => cents(await page.getByTestId('amount-due').textContent()))
			.toBe(342);

		// Another $3.42 would make $6.83 of card money not synced: over the $6.00 in all.
		await expect(page.getByTestId('offline-limits')).toContainText('($2.59 left)');
		await page.getByRole('button', { name: 'Charge $3.42 on card' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'Not sent.' })).toContainText(
			'$2.59 is left'
		);
		await page.getByRole('tab', { name: 'Cash' }).click();
		await page.getByRole('button', { name: 'Exact' }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		await page.getByRole('button', { name: 'New sale' }).click();

		// Back online and synced: the limits no longer apply.
		await context.setOffline(false);
		await expect(page.getByTestId('network-state')).toHaveText('Online');
		await page.getByRole('link', { name: 'Settings' }).click();
		await page.getByRole('button', { name: 'Sync now' }).click();
		await expect(page.getByTestId('to-sync')).toHaveCount(0);
		await page.getByRole('link', { name: 'Sell' }).click();
		await addProduct(page, 'Butter Croissant', 2);
		await page.getByRole('button', { name: /^Charge/ }).click();
		await expect(page.getByTestId('offline-limits')).toHaveCount(0);
		await page.getByRole('button', { name: 'Charge $6.83 on card' }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	} finally {
		await context.close();
	}
});
