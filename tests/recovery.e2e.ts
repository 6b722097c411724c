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

test('leaving the checkout during a card payment comes back to the same order, charged once', async ({
	page
}) => {
	await openTill(page);
	await setScenario(page, 'slow', { slowSeconds: 3 });
	await addProduct(page, 'Caffè Latte');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByText('Waiting for the terminal…')).toBeVisible();
	const heading = await page.getByRole('heading', { name: /^Order / }).textContent();

	// A detour to the order list and back: the sell screen is still this order's checkout.
	await page.getByRole('link', { name: 'Orders' }).click();
	await page.getByRole('link', { name: 'Sell' }).click();
	await expect(page.getByRole('heading', { name: heading! })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 15_000 });
	await page.getByRole('button', { name: 'New sale' }).click();
	await expect(page.getByTestId('cart-total')).toHaveText('$0.00');

	await page.getByRole('link', { name: 'Orders' }).click();
	await expect(page.locator('table.orders tbody tr')).toHaveCount(1);
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByText(/What .* has processed/).click();
	await expect(page.getByTestId('sim-log-row').filter({ hasText: 'sale' })).toHaveCount(1);
});

test('a declined order survives a reload at the checkout and is paid later from its order screen', async ({
	page
}) => {
	await openTill(page);
	await setScenario(page, 'decline');
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByTestId('payment-failed')).toBeVisible();
	const heading = (await page.getByRole('heading', { name: /^Order / }).textContent())!;

	await page.reload();
	await expect(page.getByRole('heading', { name: heading })).toBeVisible();
	await page.getByRole('button', { name: 'Keep the order open and start a new sale' }).click();
	await expect(page.getByTestId('cart-total')).toHaveText('$0.00');

	await setScenario(page, 'approve');
	// Something rung up meanwhile is not thrown away without asking.
	await addProduct(page, 'Caffè Latte');
	await page.getByRole('link', { name: 'Orders' }).click();
	await page.getByRole('link', { name: heading.replace('Order', '').trim() }).click();
	await expect(page.getByTestId('order-status')).toHaveText('open');
	const takePayment = page.getByRole('button', { name: /^Take payment of/ });
	page.once('dialog', (dialog) => void dialog.dismiss());
	await takePayment.click();
	await expect(takePayment).toBeVisible();
	page.once('dialog', (dialog) => void dialog.accept());
	await takePayment.click();
	await expect(page.getByRole('heading', { name: heading })).toBeVisible();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
});

test('a payment the terminal never answers, left unknown by a reload, is cancelled on the terminal', async ({
	page
}) => {
	await openTill(page);
	await setScenario(page, 'never-answer');
	await addProduct(page, 'Caffè Latte');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByText('Waiting for the terminal…')).toBeVisible();

	await page.reload();
	await expect(page.getByText('Checking the terminal…')).toBeVisible();
	await page.getByRole('button', { name: 'Cancel on the terminal' }).click();
	await expect(page.getByTestId('payment-failed')).toContainText('cancelled');
	// The order can be paid again, another way.
	await page.getByRole('tab', { name: 'Cash' }).click();
	await page.getByRole('button', { name: 'Exact' }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
});
