/**
 * The server is the authority over what a till syncs (issue 8), as a shop sees it: a terminal that
 * answers with a NUL and a lone surrogate in its decline message (which once made the server
 * answer 500 to that till's every sync, for ever) does not keep the till's sales from the server.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { CASHIER_PIN, PAIRING_CODE, addProduct, openTill } from './fixtures';

const TERMINAL_ROW = /^CodePay Register \(simulator\)/;

function controlUrl(): string {
	const file = new URL('./.artifacts/sim.json', import.meta.url);
	return (JSON.parse(readFileSync(file, 'utf8')) as { codepay: { controlUrl: string } }).codepay
		.controlUrl;
}

async function terminalFaults(faults: Record<string, unknown> | null): Promise<void> {
	const response = await fetch(`${controlUrl()}${faults ? '/faults' : '/reset'}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(faults ?? {})
	});
	expect(response.ok).toBe(true);
}

/** What the back office sees: a reader of the orders the server holds from `deviceId`. */
async function serverOrders(request: APIRequestContext, deviceId: string) {
	const paired = await request.post('/api/devices/pair', {
		data: { code: PAIRING_CODE, name: 'Back office' }
	});
	const { token } = (await paired.json()) as { token: string };
	const authorization = `Bearer ${token}`;
	const login = await request.post('/api/auth/login', {
		data: { pin: CASHIER_PIN },
		headers: { authorization }
	});
	const { sessionToken } = (await login.json()) as { sessionToken: string };
	return async () => {
		const listed = await request.get('/api/orders?limit=500', {
			headers: { authorization, 'x-staff-session': sessionToken }
		});
		expect(listed.status()).toBe(200);
		const { orders } = (await listed.json()) as {
			orders: { deviceId: string; status: string }[];
		};
		return orders.filter((o) => o.deviceId === deviceId).map((o) => o.status);
	};
}

async function cashSale(page: Page): Promise<void> {
	await page.getByRole('tab', { name: 'Cash' }).click();
	await page.getByRole('button', { name: 'Exact' }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	await page.getByRole('button', { name: 'New sale' }).click();
}

test.afterEach(async () => {
	await terminalFaults(null);
});

test('a decline message with a NUL in it does not stop the till’s sales reaching the server', async ({
	page,
	request
}) => {
	await openTill(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	const deviceId = /device (\S+)/.exec(
		(await page.getByText(/· device /).textContent()) ?? ''
	)?.[1];
	expect(deviceId).toBeTruthy();
	await page.getByRole('row', { name: TERMINAL_ROW }).getByRole('button', { name: 'Use' }).click();
	await page.getByRole('link', { name: 'Sell' }).click();

	// The card is declined with a message no database can store as it is.
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await terminalFaults({ decline: true, declineMessage: 'Declined\u0000 by issuer \ud800' });
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByTestId('payment-failed')).toContainText('by issuer');
	await terminalFaults(null);
	await cashSale(page);

	// The next sale.
	await addProduct(page, 'Caffè Latte');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await cashSale(page);

	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('button', { name: 'Sync now' }).click();
	const statuses = await serverOrders(request, deviceId!);
	await expect.poll(statuses, { timeout: 30_000 }).toEqual(['paid', 'paid']);
	await expect(page.getByText('Everything is synced to the server.')).toBeVisible();
	await expect(page.getByTestId('sync-refused')).toHaveCount(0);
});
