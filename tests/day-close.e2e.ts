/**
 * At the day's close a manager matches the card payments that only a till vouches for (the server
 * never sees a LAN or USB terminal's answers, issue 8) against the terminals' batch reports.
 */
import { expect, test } from '@playwright/test';
import { MANAGER_PIN, addProduct, cents, openTill } from './fixtures';

test('a manager sees the card payments of the day, from every till, as the tills reported them', async ({
	page
}) => {
	await openTill(page);
	await addProduct(page, 'Butter Croissant');
	await addProduct(page, 'Caffè Latte');
	await page.getByRole('button', { name: /^Charge/ }).click();
	const charge = page.getByRole('button', { name: /^Charge .* on card$/ });
	const amount = cents(await charge.textContent());
	await charge.click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();

	// A cashier is not shown the day close.
	await page.getByRole('link', { name: 'Settings' }).click();
	await expect(page.getByRole('region', { name: 'Day close' })).toHaveCount(0);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.getByLabel('Staff PIN').fill(MANAGER_PIN);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('link', { name: 'Settings' }).click();
	const dayClose = page.getByRole('region', { name: 'Day close' });
	await dayClose.getByRole('button', { name: "Load today's card payments" }).click();
	await expect(dayClose.getByTestId('till-reported-summary')).toContainText(
		/card payments? reported by the tills/
	);
	// The simulated terminal's card; other tests' payments of the day are listed too.
	const ours = dayClose.getByRole('row').filter({ hasText: 'sim-1' }).filter({ hasText: '4242' });
	await expect(ours.first()).toBeVisible();
	const amounts = (await ours.locator('td:last-child').allTextContents()).map(cents);
	expect(amounts).toContain(amount);
});
