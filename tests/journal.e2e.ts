/**
 * The write a card waits on (`beginAttempt`, a native IndexedDB transaction) in Chromium's own
 * IndexedDB: a failed check keeps nothing, two attempts at once let one through, and the screen
 * hears of a new attempt. The unit tests run on fake-indexeddb, whose transactions never commit by
 * themselves, so this is where an early commit would show.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { OUT, bundleForBrowser } from '../scripts/bundle.js';

const PATH = '/__journal-page/';
let dir = '';

test.beforeAll(async () => {
	const url = await bundleForBrowser('journal-page', 'tests/journal-page/journal-page.ts');
	dir = `${OUT}browser${url.slice(0, url.lastIndexOf('/'))}`;
});

/** A blank page of the app's origin that serves the journal module; the app itself never loads. */
async function openJournalPage(page: Page): Promise<void> {
	await page.route(`**${PATH}**`, async (route) => {
		const name = basename(new URL(route.request().url()).pathname);
		if (name === 'index.html') {
			await route.fulfill({
				contentType: 'text/html',
				body: '<!doctype html><title>journal</title>'
			});
			return;
		}
		await route.fulfill({
			contentType: 'text/javascript',
			body: await readFile(`${dir}/${name}`)
		});
	});
	await page.goto(`${PATH}index.html`);
}

async function run<T>(page: Page, fn: string): Promise<T> {
	return page.evaluate(
		async ({ url, fn }) => {
			const module = await import(url);
			return module[fn]();
		},
		{ url: `${PATH}journal-page.js`, fn }
	);
}

test.use({ serviceWorkers: 'block' });

test('a refused card payment keeps nothing, and the next one goes through', async ({ page }) => {
	await openJournalPage(page);
	expect(await run(page, 'refusedThenAllowed')).toEqual({
		results: ['invalid_amount', 'ok'],
		attempts: 1,
		created: 1
	});
});

test('a refund above what the card paid keeps nothing', async ({ page }) => {
	await openJournalPage(page);
	// The approved sale stays; the refund leaves no attempt and no event.
	expect(await run(page, 'refundAboveWhatWasPaid')).toEqual({
		results: ['invalid_amount'],
		attempts: 1,
		created: 1
	});
});

test('of two card payments started at once on one order, one goes through', async ({ page }) => {
	await openJournalPage(page);
	expect(await run(page, 'twoAtOnce')).toEqual({
		results: expect.arrayContaining(['ok', 'in_progress']),
		attempts: 1,
		created: 1
	});
});

test('the screen sees a new card payment before it is sent', async ({ page }) => {
	await openJournalPage(page);
	expect(await run(page, 'liveQuerySees')).toEqual(['created']);
});
