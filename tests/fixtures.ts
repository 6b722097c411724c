import { expect, type Page } from '@playwright/test';

export const PAIRING_CODE = '246810';
export const CASHIER_PIN = '1111';
export const MANAGER_PIN = '9999';

/** Pairs a fresh till and signs the cashier in, as on the first day with a new tablet. */
export async function openTill(page: Page): Promise<void> {
	await page.goto('/');
	await page.getByLabel('Pairing code').fill(PAIRING_CODE);
	await page.getByRole('button', { name: 'Pair' }).click();
	await page.getByLabel('Staff PIN').fill(CASHIER_PIN);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
	await expect(page.locator('.tile').first()).toBeVisible();
}

/** Adds a product by searching for it and tapping its tile. */
export async function addProduct(page: Page, name: string, times = 1): Promise<void> {
	const search = page.getByRole('searchbox', { name: 'Search products' });
	await search.fill(name);
	const tile = page.locator('.tile', { hasText: name }).first();
	for (let i = 0; i < times; i++) await tile.click();
	await search.fill('');
}

/** From any screen: uses the terminal named `terminal` (Settings), and pays a croissant on it. */
export async function payCroissantOnTerminal(page: Page, terminal: string): Promise<void> {
	await page.getByRole('link', { name: 'Settings' }).click();
	const row = page.getByRole('row', { name: new RegExp(terminal) });
	await row.getByRole('button', { name: 'Use' }).click();
	await expect(page.getByTestId('terminal-status')).toHaveText(`${terminal}: connected`);
	await page.getByRole('link', { name: 'Sell' }).click();
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
}

/** Two croissants ($6.83) paid with $10 cash, and the receipt printed (the printer tests). */
export async function sellCroissantsForCashAndPrint(page: Page): Promise<void> {
	await page.getByRole('link', { name: 'Sell' }).click();
	await addProduct(page, 'Butter Croissant', 2);
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('tab', { name: 'Cash' }).click();
	await page.getByLabel('Amount tendered').fill('10');
	await page.getByRole('button', { name: 'Take cash' }).click();
	await page.getByRole('button', { name: 'Print receipt' }).click();
}

/** Chooses the simulated terminal's scenario in Settings, as a tester would. */
export async function setScenario(
	page: Page,
	scenario: string,
	extra: { slowSeconds?: number } = {}
): Promise<void> {
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('button', { name: 'Edit' }).first().click();
	await page.getByLabel('Scenario', { exact: true }).selectOption(scenario);
	if (extra.slowSeconds !== undefined) {
		await page.getByLabel('Slow scenario (seconds)').fill(String(extra.slowSeconds));
	}
	await page.getByRole('button', { name: 'Save' }).click();
	await page.getByRole('link', { name: 'Sell' }).click();
}

/** Reads a displayed amount such as "$12.34" as minor units. */
export function cents(text: string | null): number {
	const match = /(-?)\$?([\d,]+)\.(\d{2})/.exec(text ?? '');
	if (!match) throw new Error(`No amount in ${JSON.stringify(text)}`);
	const value = Number(match[2]!.replaceAll(',', '')) * 100 + Number(match[3]);
	return match[1] ? -value : value;
}
