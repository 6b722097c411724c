/**
 * Warm start: a till whose service worker controls the page reloads (as an installed app is
 * opened again); the time from the navigation to the sale screen showing its search box and
 * tiles, read in the page (`performance.now()` counts from the navigation's start). Every
 * reload is checked to have been served by the service worker.
 */
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { pairAndSignIn, saleScreen } from './app-till.js';
import { ARGS, CHROMIUM } from './browser-host.js';

const RELOADS = 15;

/** Median, p95 (nearest rank) and range of the reloads, in ms. */
function summarize(/** @type {number[]} */ times) {
	const sorted = [...times].sort((a, b) => a - b);
	const at = (/** @type {number} */ p) =>
		Math.round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN);
	return {
		reloads: sorted.length,
		p50_ms: at(50),
		p95_ms: at(95),
		min_ms: Math.round(sorted[0] ?? NaN),
		max_ms: Math.round(sorted.at(-1) ?? NaN)
	};
}

/** @param {string} origin @param {string} dataDir */
export async function measureWarmStart(origin, dataDir) {
	const context = await chromium.launchPersistentContext(join(dataDir, 'warm-profile'), {
		executablePath: CHROMIUM,
		headless: true,
		args: ARGS
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await pairAndSignIn(page, origin);
		await page.evaluate(() => navigator.serviceWorker.ready);
		await page.reload();
		await saleScreen(page);
		/** @type {number[]} */
		const times = [];
		for (let i = 0; i < RELOADS + 2; i++) {
			await page.reload({ waitUntil: 'commit' });
			const shown = await page
				.waitForFunction(
					() =>
						document.querySelector('input[type="search"]') &&
						document.querySelector('.tile') && {
							ms: performance.now(),
							controlled: navigator.serviceWorker.controller !== null
						},
					null,
					{ polling: 'raf', timeout: 30_000 }
				)
				.then((handle) => handle.jsonValue());
			if (!shown) throw new Error('the sale screen did not show');
			const { ms, controlled } = shown;
			if (!controlled) throw new Error('the reload was not served by the service worker');
			// The first two warm the browser's own caches of the worker's script and the bundles.
			if (i >= 2) times.push(ms);
		}
		return summarize(times);
	} finally {
		await context.close();
	}
}
