import { expect, test } from '@playwright/test';
import { addProduct, MANAGER_PIN, openTill, setScenario } from './fixtures';

test('a reload in the middle of a card payment ends with the order paid once', async ({ page }) => {
	await openTill(page);
	await setScenario(page, 'slow', { slowSeconds: 4 });
	await addProduct(page, 'Caffè Latte');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByText('Waiting for the terminal…')).toBeVisible();
	const orderNumber = (await page.getByRole('heading', { name: /^Order / }).textContent())!
		.replace('Order', '')
		.trim();

	await page.reload();

	// After the reload the till reconciles the attempt with the terminal by itself.
	await page.getByRole('link', { name: 'Orders' }).click();
	await page.getByRole('link', { name: orderNumber }).click();
	await expect(page.getByTestId('order-status')).toHaveText('paid', { timeout: 20_000 });
	await expect(page.locator('tr[data-state="approved"][data-testid="attempt-row"]')).toHaveCount(1);

	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByText(/What .* has processed/).click();
	const rows = page.getByTestId('sim-log-row');
	await expect(rows.filter({ hasText: 'sale' })).toHaveCount(1);
});

test('a manager approves a refund of a card payment with a PIN', async ({ page }) => {
	await openTill(page);
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
	await page.getByRole('button', { name: 'Refund' }).click();

	await page.getByLabel('Manager PIN').fill('1111');
	await page.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByRole('dialog')).toContainText(/manager/i);

	await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
	await page.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByTestId('order-status')).toHaveText('refunded');
});
