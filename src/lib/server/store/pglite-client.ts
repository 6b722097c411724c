import { PGlite } from '@electric-sql/pglite';
import { mkdir } from 'node:fs/promises';
import type { SqlClient, SqlExecutor } from './sql';

/** Opens PGlite on a directory, or in memory with `memory://`. */
export async function openPglite(dataDir: string): Promise<SqlClient> {
	if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
	const db = await PGlite.create(dataDir);
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
		close: () => db.close()
	};
}
