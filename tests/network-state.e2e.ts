/**
 * Issue 14 "Network state": the till says whether it is online, offline, or cut off from the POS
 * server and since when; a terminal that works through the server is disabled, with the reason,
 * while the server cannot be reached; the "to sync" count follows the journal.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addProduct, openTill } from './fixtures';
import { demoConfig, startPosServer, type PosServer } from './pos-server';

test.describe.configure({ timeout: 120_000 });

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise((resolve) => server.close(resolve));
	if (typeof address !== 'object' || !address) throw new Error('no port');
	return address.port;
}

test('online, offline, server unreachable since when; a terminal that needs the server is disabled', async ({
	browser
}) => {
	const config = demoConfig();
	// A terminal on a rail that works through the server (the server signs its requests).
	// (Its own id: the demo config has a CodePay cloud terminal `cloud-1` of its own.)
	config.terminals.push({
		id: 'cloud-net',
		name: 'Cloud terminal',
		rail: 'codepay-cloud',
		currency: 'USD',
		params: {}
	});
	const dataDir = mkdtempSync(join(tmpdir(), 'pos-network-e2e-'));
	const env = { PORT: String(await freePort()), POS_DATA_DIR: join(dataDir, 'pglite') };
	let server: PosServer = await startPosServer(env, config);
	const context = await browser.newContext({ baseURL: server.origin });
	const page = await context.newPage();
	const network = page.getByTestId('network-state');
	try {
		await openTill(page);
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await expect(network).toHaveText('Online');

		await context.setOffline(true);
		await expect(network).toHaveText(/^Offline since \d{1,2}:\d{2}/);
		await context.setOffline(false);
		await expect(network).toHaveText('Online');

		await server.stop();
		// The next health probe (every 10 s) finds no server.
		await expect(network).toHaveText(/^Server unreachable since \d{1,2}:\d{2}/, {
			timeout: 25_000
		});

		// A cash sale counts at once among the changes to sync (no sync can run now).
		await expect(page.getByTestId('to-sync')).toHaveCount(0);
		await addProduct(page, 'Butter Croissant');
		await page.getByRole('button', { name: /^Charge/ }).click();
		await page.getByRole('tab', { name: 'Cash' }).click();
		await page.getByRole('button', { name: 'Exact' }).click();
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
		await expect(page.getByTestId('to-sync')).toHaveText(/^\d+ to sync$/);
		await page.getByRole('button', { name: 'New sale' }).click();

		// The terminal that needs the server cannot be chosen; chosen before, it says why.
		await addProduct(page, 'Butter Croissant');
		await page.getByRole('button', { name: /^Charge/ }).click();
		const terminal = page.getByLabel('Terminal');
		await expect(terminal.locator('option', { hasText: 'Cloud terminal' })).toBeDisabled();
		await expect(terminal.locator('option', { hasText: 'Cloud terminal' })).toContainText(
			'needs the server'
		);
		await page.getByRole('link', { name: 'Settings' }).click();
		await page.getByRole('button', { name: 'Use' }).last().click();
		await page.getByRole('link', { name: 'Sell' }).click();
		await expect(page.getByTestId('terminal-unavailable')).toContainText(
			'works through the POS server, which cannot be reached'
		);
		await expect(page.getByRole('button', { name: /on card$/ })).toBeDisabled();

		// The server is back: online again, and the changes are synced.
		server = await startPosServer(env, config);
		await expect(network).toHaveText('Online', { timeout: 25_000 });
		await expect(page.getByTestId('terminal-unavailable')).toHaveCount(0);
		await page.getByRole('link', { name: 'Settings' }).click();
		await page.getByRole('button', { name: 'Sync now' }).click();
		await expect(page.getByTestId('to-sync')).toHaveCount(0);
	} finally {
		// The server stops even when the browser is already gone (a timed-out test).
		await context.close().catch(() => undefined);
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
});
