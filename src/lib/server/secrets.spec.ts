/**
 * Where a generated session secret lives (issue 8, finding 5): in the store's own database, never
 * in a file beside the data directory that a sibling server shares or someone planted in advance.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getRuntime } from './boot';
import { resolveSessionSecret } from './secrets';
import { openStore } from './store';

const dirs: string[] = [];
afterAll(async () => {
	for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('the generated session secret', () => {
	it('is kept in the database, not taken from a file planted beside the data directory', async () => {
		const root = await mkdtemp(join(tmpdir(), 'pos-secret-'));
		dirs.push(root);
		const planted = 'planted-by-someone-else-0123456789abcdef';
		await writeFile(join(root, 'session-secret'), `${planted}\n`);
		const dataDir = join(root, 'pglite');
		const rt = await getRuntime({ POS_DATA_DIR: dataDir, POS_CONFIG: 'config/pos.demo.json' });
		const secret = rt.config.sessionSecret;
		expect(secret).not.toBe(planted);
		expect(secret.length).toBeGreaterThanOrEqual(32);
		expect(await readdir(root)).toEqual(['pglite', 'session-secret']);
		await rt.store.close();
		// A restart on the same data keeps it, so staff stay signed in.
		const reopened = await openStore({ dataDir });
		try {
			const again = await resolveSessionSecret({
				keep: (fresh) => reopened.ensureSecret('session', fresh, 0)
			});
			expect(again).toBe(secret);
		} finally {
			await reopened.close();
		}
	}, 60_000);

	it('is the same for instances starting together on one database, and apart for another', async () => {
		const store = await openStore({ dataDir: 'memory://' });
		const sibling = await openStore({ dataDir: 'memory://' });
		try {
			const keep = (on: typeof store) => (fresh: string) => on.ensureSecret('session', fresh, 0);
			const secrets = await Promise.all(
				Array.from({ length: 5 }, () => resolveSessionSecret({ keep: keep(store) }))
			);
			expect(new Set(secrets).size).toBe(1);
			expect(await resolveSessionSecret({ keep: keep(sibling) })).not.toBe(secrets[0]);
		} finally {
			await store.close();
			await sibling.close();
		}
	}, 60_000);

	it('gives way to POS_SESSION_SECRET', async () => {
		const configured = 'from-the-environment-0123456789';
		expect(await resolveSessionSecret({ configured, keep: () => Promise.resolve('kept') })).toBe(
			configured
		);
	});
});
