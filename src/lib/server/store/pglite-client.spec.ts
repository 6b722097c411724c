import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPglite } from './pglite-client';

let dir = '';
afterEach(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('openPglite', () => {
	it('keeps its data directory, which holds the session secret, to the server’s own user', async () => {
		dir = mkdtempSync(join(tmpdir(), 'pos-pglite-'));
		const dataDir = join(dir, 'pglite');
		const db = await openPglite(dataDir);
		await db.close();
		expect(statSync(dataDir).mode & 0o777).toBe(0o700);
	}, 60_000);
});
