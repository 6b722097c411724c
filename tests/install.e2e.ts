/**
 * Issue 14 "Install": the till is installable as it is served (Chromium reports no installability
 * errors), its icons are real PNGs of the sizes the manifest says, and the installed app bears the
 * store's name.
 */
import { expect, test, type BrowserContext } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig } from './pos-server';
import { openTill } from './fixtures';

// Chromium never offers to install from an incognito profile, which a test's context is: these
// tests run in a persistent profile of their own.
let profile: string;
let context: BrowserContext;
test.beforeEach(async ({ playwright }, testInfo) => {
	profile = mkdtempSync(join(tmpdir(), 'pos-install-e2e-'));
	const use = testInfo.project.use;
	context = await playwright.chromium.launchPersistentContext(profile, {
		...use.launchOptions,
		baseURL: use.baseURL
	});
});
test.afterEach(async () => {
	await context.close();
	rmSync(profile, { recursive: true, force: true });
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): string {
	expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
	return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

test('the app is installable, named after the store, with its icons and screenshots', async ({
	request
}) => {
	const page = context.pages()[0] ?? (await context.newPage());
	const storeName = demoConfig().storeName as string;
	await page.goto('/');
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	const cdp = await page.context().newCDPSession(page);
	const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
	expect(installabilityErrors).toEqual([]);
	const { errors } = await cdp.send('Page.getAppManifest');
	expect(errors).toEqual([]);

	const manifest = await (await request.get('/manifest.webmanifest')).json();
	expect(manifest).toMatchObject({ id: '/', name: storeName, display: 'standalone' });
	for (const image of [...manifest.icons, ...manifest.screenshots]) {
		const response = await request.get(image.src);
		expect(response.status(), image.src).toBe(200);
		if (image.type === 'image/png') expect(pngSize(await response.body())).toBe(image.sizes);
	}
	expect(manifest.icons.some((i: { purpose: string }) => i.purpose === 'maskable')).toBe(true);

	const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
	const touch = await request.get(new URL(touchIcon!, page.url()).pathname);
	expect(pngSize(await touch.body())).toBe('180x180');
});

test('Settings shows the version and offers installing the app', async () => {
	const page = context.pages()[0] ?? (await context.newPage());
	await openTill(page);
	// Chromium decides installability once the service worker is running: on a busy machine that
	// takes a while, and only then does it fire the prompt the button keeps.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.getByRole('link', { name: 'Settings' }).click();
	const app = page.getByRole('region', { name: 'App' });
	await expect(app.getByTestId('app-version')).toHaveText(/^0\.\d+\.\d+ \(build [\w.-]+\)$/);
	// The browser's own install prompt, kept for the button (Chromium fires it once installable).
	await expect(app.getByRole('button', { name: 'Install this POS' })).toBeVisible({
		timeout: 30_000
	});
});
