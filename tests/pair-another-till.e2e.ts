/**
 * A manager's PIN issues a one-time pairing code in Settings of a paired till, and a new till pairs
 * with it, once.
 */
import { expect, test } from '@playwright/test';
import { CASHIER_PIN, MANAGER_PIN, openTill } from './fixtures';

test('a manager’s PIN issues a code in Settings that pairs one more till, once', async ({
	page,
	browser
}) => {
	await openTill(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	const section = page.locator('section', { hasText: 'Pair another till' });
	// The cashier is signed in: a code needs a manager's PIN, and a cashier's does not do.
	const pin = section.getByLabel('Manager PIN for a pairing code');
	await pin.fill(CASHIER_PIN);
	await section.getByRole('button', { name: 'Issue a pairing code' }).click();
	await expect(section.getByRole('alert')).toContainText('Only a manager');
	await pin.fill(MANAGER_PIN);
	await section.getByRole('button', { name: 'Issue a pairing code' }).click();
	const code = await section.locator('[data-code]').getAttribute('data-code');
	expect(code).toMatch(/^\d{8}$/);

	for (const expected of ['paired', 'refused']) {
		const context = await browser.newContext();
		const till = await context.newPage();
		await till.goto('/');
		await till.getByLabel('Pairing code').fill(code ?? '');
		await till.getByRole('button', { name: 'Pair' }).click();
		if (expected === 'paired') {
			await till.getByLabel('Staff PIN').fill(CASHIER_PIN);
			await till.getByRole('button', { name: 'Sign in' }).click();
			await expect(till.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
		} else {
			await expect(till.getByRole('alert')).toContainText('used already');
		}
		await context.close();
	}
});
