/**
 * Issue 14: a new version never takes over a till in the middle of a sale. Two builds of the app
 * (the run's own, and one made here with another build id) are served in turn by
 * `server/index.js` on one origin, on one store, as a shop's server is redeployed.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { addProduct, openTill, setScenario } from './fixtures';
import { startPosServer, type PosServer } from './pos-server';

const NEXT_BUILD = 'tests/.artifacts/build-next';
const NEXT_ID = 'e2e-next';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

/** Every file under `dir`, as the path a page asks for (`/_app/...`). */
function clientFiles(dir: string): Set<string> {
	const root = join(dir, 'client');
	const found = new Set<string>();
	const walk = (at: string) => {
		for (const entry of readdirSync(at, { withFileTypes: true })) {
			const path = join(at, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (!/\.(br|gz)$/.test(entry.name)) found.add(`/${relative(root, path)}`);
		}
	};
	walk(root);
	return found;
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise((resolve) => server.close(resolve));
	if (typeof address !== 'object' || !address) throw new Error('no port');
	return address.port;
}

let dataDir: string;

test.beforeAll(() => {
	// The next version: the same code with another build id, so every chunk that names the version
	// (and the service worker) differs, in a directory of its own.
	execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], {
		env: { ...process.env, POS_BUILD_ID: NEXT_ID, POS_BUILD_OUT: NEXT_BUILD },
		stdio: 'ignore'
	});
	dataDir = mkdtempSync(join(tmpdir(), 'pos-update-e2e-'));
});

test.afterAll(() => {
	rmSync(dataDir, { recursive: true, force: true });
	rmSync(NEXT_BUILD, { recursive: true, force: true });
});

test('a new version is offered, waits for the card payment and the checkout, then keeps the journal', async ({
	browser
}) => {
	const port = await freePort();
	const env = { PORT: String(port), POS_DATA_DIR: join(dataDir, 'pglite') };
	let server: PosServer = await startPosServer(env);
	const context = await browser.newContext({ baseURL: server.origin });
	const page = await context.newPage();
	try {
		await openTill(page);
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await expect
			.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
			.toBe(true);
		await page.getByRole('link', { name: 'Settings' }).click();
		const oldVersion = await page.getByTestId('app-version').textContent();
		expect(oldVersion).not.toContain(NEXT_ID);

		// A file only the running version has: the redeployed server no longer serves it.
		const next = clientFiles(NEXT_BUILD);
		const onlyOld = [...clientFiles('build')].find(
			(path) => path.startsWith('/_app/immutable/') && !next.has(path)
		);
		expect(onlyOld).toBeDefined();

		// The server is redeployed with the next version, on the same origin and store.
		await server.stop();
		server = await startPosServer({ ...env, POS_BUILD_DIR: NEXT_BUILD });
		expect((await fetch(`${server.origin}${onlyOld}`)).status).toBe(404);

		await page.getByRole('button', { name: 'Check for updates' }).click();
		const offer = page.getByTestId('update-offer');
		await expect(offer).toContainText('A new version of the POS is ready');
		// The running version goes on: its own files still load (from its cache), and it sells.
		expect(await page.evaluate(async (path) => (await fetch(path)).status, onlyOld!)).toBe(200);
		await expect(page.getByTestId('app-version')).toHaveText(oldVersion!);

		await setScenario(page, 'slow', { slowSeconds: 6 });
		await addProduct(page, 'Butter Croissant');
		await page.getByRole('button', { name: /^Charge/ }).click();
		const orderNumber = (await page.getByRole('heading', { name: /^Order / }).textContent())!
			.replace('Order', '')
			.trim();
		await page.getByRole('button', { name: /on card$/ }).click();
		await expect(page.getByTestId('payment-pending')).toContainText('Waiting for the terminal');

		// "Update now" during the payment: deferred, and the page is not replaced.
		await offer.getByRole('button', { name: 'Update now' }).click();
		await expect(offer).toContainText('A card payment is in progress');
		await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
		// Paid, but still at the checkout: it still waits.
		await expect(offer).toContainText('An order is at the checkout');
		await page.getByRole('link', { name: 'Settings' }).click();
		await expect(page.getByTestId('app-version')).toHaveText(oldVersion!);
		await page.getByRole('link', { name: 'Sell' }).click();

		// The sale is closed: the next version takes over (the page reloads onto it).
		await page.getByRole('button', { name: 'New sale' }).click();
		await expect(page.getByTestId('update-offer')).toHaveCount(0);
		await page.getByRole('link', { name: 'Settings' }).click();
		await expect(page.getByTestId('app-version')).toContainText(`(build ${NEXT_ID})`);

		// The journal is intact: the order and its card payment are there, and still to be synced
		// or synced, never lost.
		await page.getByRole('link', { name: 'Orders' }).click();
		await expect(page.getByRole('link', { name: orderNumber })).toBeVisible();
		await page.getByRole('link', { name: orderNumber }).click();
		await expect(page.getByText('approved').first()).toBeVisible();
		// The old version's cache is gone once no page runs it.
		await expect.poll(() => page.evaluate(async () => (await caches.keys()).length)).toBe(1);
	} finally {
		// The server stops even when the browser is already gone (a timed-out test).
		await context.close().catch(() => undefined);
		await server.stop();
	}
});
