/**
 * A till killed right after pairing is still paired when it comes back (issue 8, finding 5): the
 * device credential is in IndexedDB, written with strict durability, not in localStorage, which
 * Chrome writes out seconds later. The browser runs on a profile of its own and is killed hard.
 */
import { chromium, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAIRING_CODE } from './fixtures';

/** The browser process this test launched on `profile`: a child of this process. */
function browserPid(profile: string): number {
	const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n');
	for (const row of rows) {
		const [pid, ppid, ...args] = row.trim().split(/\s+/);
		if (Number(ppid) === process.pid && args.join(' ').includes(`--user-data-dir=${profile}`)) {
			return Number(pid);
		}
	}
	throw new Error('The browser process was not found.');
}

test('a till killed right after pairing is still paired', async ({ baseURL, request }) => {
	// The server opens its store on its first request; that wait is not what this test is about.
	expect((await request.get('/api/health')).ok()).toBe(true);
	const profile = mkdtempSync(join(tmpdir(), 'pos-profile-'));
	const options = { ...test.info().project.use.launchOptions, headless: true, baseURL };
	try {
		const first = await chromium.launchPersistentContext(profile, options);
		const page = first.pages()[0] ?? (await first.newPage());
		await page.goto('/');
		await page.getByLabel('Pairing code').fill(PAIRING_CODE);
		await page.getByLabel('Name of this till').fill('Killed till');
		await page.getByRole('button', { name: 'Pair' }).click();
		await expect(page.getByLabel('Staff PIN')).toBeVisible();
		process.kill(browserPid(profile), 'SIGKILL');
		await first.close().catch(() => undefined);

		const second = await chromium.launchPersistentContext(profile, options);
		try {
			const again = second.pages()[0] ?? (await second.newPage());
			await again.goto('/');
			await expect(again.getByLabel('Staff PIN')).toBeVisible();
			await expect(again.getByLabel('Pairing code')).toHaveCount(0);
		} finally {
			await second.close();
		}
	} finally {
		rmSync(profile, { recursive: true, force: true });
	}
});
