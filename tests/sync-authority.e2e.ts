/**
 * The server is the authority over what a till syncs (issue 8), as a shop sees it: a terminal that
 * answers with a NUL and a lone surrogate in its decline message (which once made the server
 * answer 500 to that till's every sync, for ever) does not keep the till's sales from the server.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { CASHIER_PIN, MANAGER_PIN, PAIRING_CODE, addProduct, openTill } from './fixtures';

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

/** The back office: a device of its own, and a staff member signed in on it. */
async function backOffice(request: APIRequestContext, pin = CASHIER_PIN) {
	const paired = await request.post('/api/devices/pair', {
		data: { code: PAIRING_CODE, name: 'Back office' }
	});
	const { token } = (await paired.json()) as { token: string };
	const authorization = `Bearer ${token}`;
	const login = await request.post('/api/auth/login', {
		data: { pin },
		headers: { authorization }
	});
	const { sessionToken } = (await login.json()) as { sessionToken: string };
	return async <T>(path: string): Promise<T> => {
		const response = await request.get(path, {
			headers: { authorization, 'x-staff-session': sessionToken }
		});
		expect(response.status()).toBe(200);
		return (await response.json()) as T;
	};
}

interface ServerOrder {
	deviceId: string;
	status: string;
	day: string;
	paid: number;
	tip: number;
	refunded: number;
}

/** The orders the server holds from `deviceId`. */
async function serverOrders(request: APIRequestContext, deviceId: string) {
	const get = await backOffice(request);
	return async () =>
		(await get<{ orders: ServerOrder[] }>('/api/orders?limit=500')).orders.filter(
			(o) => o.deviceId === deviceId
		);
}

async function tillDeviceId(page: Page): Promise<string> {
	await page.getByRole('link', { name: 'Settings' }).click();
	const text = (await page.getByText(/· device /).textContent()) ?? '';
	const deviceId = /device (\S+)/.exec(text)?.[1];
	expect(deviceId).toBeTruthy();
	return deviceId!;
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
	const deviceId = await tillDeviceId(page);
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
	const orders = await serverOrders(request, deviceId);
	const statuses = async () => (await orders()).map((o) => o.status);
	await expect.poll(statuses, { timeout: 30_000 }).toEqual(['paid', 'paid']);
	await expect(page.getByText('Everything is synced to the server.')).toBeVisible();
	await expect(page.getByTestId('sync-refused')).toHaveCount(0);
});

test('card sales refunded or voided with a manager’s approval are believed: nothing refused, card tenders till-reported', async ({
	page,
	request
}) => {
	await openTill(page);
	const deviceId = await tillDeviceId(page);
	await page.getByRole('link', { name: 'Sell' }).click();
	await addProduct(page, 'Butter Croissant', 2);
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: '15%' }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	await page.getByRole('button', { name: 'New sale' }).click();
	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
	await page.getByRole('button', { name: 'Refund' }).click();
	await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
	await page.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByTestId('order-status')).toHaveText('refunded');

	await page.getByRole('link', { name: 'Sell' }).click();
	await addProduct(page, 'Caffè Latte');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	await page.getByRole('button', { name: 'New sale' }).click();
	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
	await page.getByRole('button', { name: 'Void' }).click();
	await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
	await page.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByTestId('order-status')).toHaveText('voided');

	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('button', { name: 'Sync now' }).click();
	const orders = await serverOrders(request, deviceId);
	const statuses = async () => (await orders()).map((o) => o.status);
	await expect.poll(statuses, { timeout: 30_000 }).toEqual(['voided', 'refunded']);
	const order = (await orders()).find((o) => o.status === 'refunded');
	expect(order!.tip).toBeGreaterThan(0);
	expect(order!.refunded).toBe(order!.paid + order!.tip);

	const manager = await backOffice(request, MANAGER_PIN);
	const day = await manager<{
		refused: { deviceId: string }[];
		tillReported: { deviceId: string; attempt: { terminalId: string } }[];
	}>(`/api/reconciliation?day=${order!.day}`);
	expect(day.refused.filter((r) => r.deviceId === deviceId)).toEqual([]);
	expect(day.tillReported.filter((r) => r.deviceId === deviceId)).toMatchObject([
		{ attempt: { terminalId: 'sim-1' } },
		{ attempt: { terminalId: 'sim-1' } }
	]);
	await expect(page.getByTestId('sync-refused')).toHaveCount(0);
});
