/**
 * Outside demo mode the terminals are the server's (issue 8, finding 1): a cashier once added a
 * "Simulated terminal" on the till, charged "card" on it and pocketed the cash. Here a shop that is
 * not the demo: the till offers no way to add a terminal, and one planted in the browser's storage
 * is neither listed nor charged on.
 */
import { expect, test } from '@playwright/test';
import { demoConfig, runSimulator, startPosServer, type PosServer } from './pos-server';
import { addProduct, CASHIER_PIN } from './fixtures';

const PAIRING_CODE = '135792468';
let server: PosServer;

test.beforeAll(async () => {
	const sim = runSimulator();
	const config = demoConfig();
	config.demo = false;
	// Outside demo mode the catalog starts empty unless the config names a seed (issue 13).
	config.catalogSeed = 'demo';
	config.pairingCode = PAIRING_CODE;
	// Its own order numbers, told apart from the demo server's on the shared simulator.
	config.devicePrefix = 'SHOP';
	config.terminals = [
		{
			id: 'codepay-1',
			name: 'Counter terminal',
			rail: 'codepay-lan',
			currency: 'USD',
			params: { host: sim.host, port: sim.port, appId: sim.appId, profile: 'codepay' }
		}
	];
	server = await startPosServer({ POS_PAIRING_CODE: undefined }, config);
});

test.afterAll(async () => {
	await server?.stop();
});

test('a till of a real shop cannot add a terminal, nor charge on one planted in its storage', async ({
	page
}) => {
	await page.goto(server.origin);
	await page.getByLabel('Pairing code').fill(PAIRING_CODE);
	await page.getByRole('button', { name: 'Pair' }).click();
	await page.getByLabel('Staff PIN').fill(CASHIER_PIN);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();

	await page.getByRole('link', { name: 'Settings' }).click();
	await expect(page.getByText('Terminals are set up on the POS server')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Add terminal' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Edit' })).toHaveCount(0);

	// What the old Settings form wrote when a cashier added a simulated terminal and chose it.
	await page.evaluate(() => {
		const fake = {
			id: 't-fake',
			name: 'Simulated terminal',
			rail: 'simulated',
			currency: 'USD',
			params: { scenario: 'approve', cardSeconds: 0 }
		};
		localStorage.setItem('pos.terminals', JSON.stringify([fake]));
		localStorage.setItem('pos.terminal.selected', 't-fake');
	});
	await page.reload();
	await page.getByRole('link', { name: 'Settings' }).click();
	const rows = page.getByRole('row');
	await expect(rows.filter({ hasText: 'Counter terminal' })).toHaveCount(1);
	await expect(rows.filter({ hasText: 'Simulated terminal' })).toHaveCount(0);

	// A card charge goes to the server's terminal, whose card is the simulator's, never a fake 4242.
	await page.getByRole('link', { name: 'Sell' }).click();
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	const charged = (await (await fetch(`${runSimulator().controlUrl}/transactions`)).json()) as {
		merchant_order_no: string;
	}[];
	expect(charged.filter((t) => t.merchant_order_no.startsWith('SHOP'))).toHaveLength(1);
});
