import { PGlite } from '@electric-sql/pglite';
import { chmod, mkdir } from 'node:fs/promises';
import type { SqlClient, SqlExecutor } from './sql';

let freshClusterDump: Promise<Blob> | undefined;

/**
 * A freshly initialised, empty cluster, made once per process: PGlite's initdb is seconds of its
 * start, while loading a copy of its result takes about one. Each in-memory database starts from
 * its own copy, so they share nothing, and the migrations still run on every one.
 */
function freshCluster(): Promise<Blob> {
	freshClusterDump ??= (async () => {
		const db = await PGlite.create('memory://');
		try {
			return await db.dumpDataDir('none');
		} finally {
			await db.close();
		}
	})().catch((error: unknown) => {
		freshClusterDump = undefined;
		throw error;
	});
	return freshClusterDump;
}

/** Opens PGlite on a directory, or in memory with `memory://`. */
export async function openPglite(dataDir: string): Promise<SqlClient> {
	if (!dataDir.startsWith('memory://')) {
		// The store holds the session secret and every sale: nobody else on the machine reads it.
		await mkdir(dataDir, { recursive: true, mode: 0o700 });
		await chmod(dataDir, 0o700);
	}
	const db = dataDir.startsWith('memory://')
		? await PGlite.create({ loadDataDir: await freshCluster() })
		: await PGlite.create(dataDir);
	return {
		kind: 'pglite',
		async query<T>(text: string, params?: unknown[]) {
			return (await db.query<T>(text, params)).rows;
		},
		transaction<T>(fn: (tx: SqlExecutor) => Promise<T>) {
			return db.transaction((tx) =>
				fn({
					async query<R>(text: string, params?: unknown[]) {
						return (await tx.query<R>(text, params)).rows;
					}
				})
			);
		},
		async listen(channel, listener) {
			const stop = await db.listen(channel, listener);
			return () => void stop();
		},
		close: () => db.close()
	};
}
