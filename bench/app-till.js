/** A till of the demo store, paired and signed in, as on its first morning (`config/pos.demo.json`). */
import { readFileSync } from 'node:fs';
import { ROOT } from '../scripts/bundle.js';

const demo = JSON.parse(readFileSync(`${ROOT}config/pos.demo.json`, 'utf8'));
const PAIRING_CODE = String(demo.pairingCode ?? '246810');
const CASHIER_PIN = '1111';

/** Resolves once the sale screen shows its search box and a first tile. */
export async function saleScreen(/** @type {import('playwright-core').Page} */ page) {
	await page.getByRole('searchbox', { name: 'Search products' }).waitFor();
	await page.locator('.tile').first().waitFor();
}

/** @param {import('playwright-core').Page} page @param {string} origin */
export async function pairAndSignIn(page, origin) {
	await page.goto(`${origin}/`);
	await page.getByLabel('Pairing code').fill(PAIRING_CODE);
	await page.getByRole('button', { name: 'Pair' }).click();
	await page
		.getByLabel('Staff PIN')
		// A fresh store's first pairing writes its schema: slow on a busy 2-core machine.
		.waitFor({ timeout: 120_000 })
		.catch(async (error) => {
			const shown = await page.locator('body').innerText();
			throw new Error(`pairing did not finish (${error.message}); the page says: ${shown}`);
		});
	await page.getByLabel('Staff PIN').fill(CASHIER_PIN);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await saleScreen(page);
}
