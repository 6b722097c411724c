/**
 * Lighthouse (its Node API) on the sale screen of a paired, signed-in till, with the system
 * Chromium: mobile emulation and simulated throttling are Lighthouse's defaults. The till is
 * paired in the same profile first; its HTTP cache, service worker and caches are then cleared,
 * so the load Lighthouse sees is a first load that lands on the sale screen.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { pairAndSignIn } from './app-till.js';
import { ARGS, CHROMIUM } from './browser-host.js';

const FLAGS = ['--headless=new', ...ARGS];
const KB = 1024;
const round = (/** @type {number} */ n) => Math.round(n * 10) / 10;

/** @param {string} origin @param {string} dataDir */
export async function measureLighthouse(origin, dataDir) {
	const profile = join(dataDir, 'lighthouse-profile');
	await mkdir(profile, { recursive: true });
	const chrome = await chromeLauncher.launch({
		chromePath: CHROMIUM,
		chromeFlags: FLAGS,
		userDataDir: profile,
		logLevel: 'silent'
	});
	try {
		const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
		const context = browser.contexts()[0] ?? (await browser.newContext());
		const page = await context.newPage();
		await pairAndSignIn(page, origin);
		// The pairing stays (IndexedDB); the service worker, its caches and the HTTP cache go.
		await page.evaluate(async () => {
			for (const registration of await navigator.serviceWorker.getRegistrations())
				await registration.unregister();
			for (const name of await caches.keys()) await caches.delete(name);
		});
		const cdp = await context.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.clearBrowserCache');
		await page.goto('about:blank');
		await page.close();
		await browser.close();

		const result = await lighthouse(`${origin}/`, {
			port: chrome.port,
			output: 'json',
			logLevel: 'error',
			onlyCategories: ['performance'],
			// Keeps the pairing and the staff session (IndexedDB), so the page is the sale screen.
			disableStorageReset: true
		});
		if (!result) throw new Error('Lighthouse returned no result');
		const { lhr } = result;
		if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
		const final = lhr.finalDisplayedUrl;
		/** @type {{ url: string, transferSize?: number, resourceType?: string, sessionTargetType?: string }[]} */
		const items = /** @type {any} */ (lhr.audits['network-requests']?.details)?.items ?? [];
		const assets = items.filter(
			(r) =>
				(r.resourceType === 'Script' || r.resourceType === 'Stylesheet') &&
				(r.sessionTargetType ?? 'page') === 'page'
		);
		const sum = (/** @type {typeof assets} */ list) =>
			list.reduce((total, r) => total + (r.transferSize ?? 0), 0);
		const js = sum(assets.filter((r) => r.resourceType === 'Script'));
		const css = sum(assets.filter((r) => r.resourceType === 'Stylesheet'));
		const metric = (/** @type {string} */ id) => lhr.audits[id]?.numericValue;
		/** @type {any} */
		const bootupDetails = lhr.audits['bootup-time']?.details;
		return {
			score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
			jsKb: round(js / KB),
			cssKb: round(css / KB),
			jsCssKb: round((js + css) / KB),
			jsCssRequests: assets.length,
			largest: [...assets]
				.sort((a, b) => (b.transferSize ?? 0) - (a.transferSize ?? 0))
				.slice(0, 5)
				.map((r) => ({
					file: new URL(r.url).pathname.split('/').pop(),
					kb: round((r.transferSize ?? 0) / KB)
				})),
			/** Main-thread time per script (Lighthouse's bootup-time), the largest first. */
			bootup: /** @type {{ url: string, total: number, scripting: number }[]} */ (
				bootupDetails?.items ?? []
			)
				.slice(0, 4)
				.map((r) => ({
					file: r.url.split('/').pop(),
					total_ms: Math.round(r.total),
					scripting_ms: Math.round(r.scripting)
				})),
			metrics: {
				final_url: final,
				fcp_ms: Math.round(metric('first-contentful-paint') ?? -1),
				lcp_ms: Math.round(metric('largest-contentful-paint') ?? -1),
				tbt_ms: Math.round(metric('total-blocking-time') ?? -1),
				cls: round(metric('cumulative-layout-shift') ?? -1),
				si_ms: Math.round(metric('speed-index') ?? -1)
			}
		};
	} finally {
		await chrome.kill();
	}
}
