/**
 * One store per process, opened on first use: PostgreSQL when `databaseUrl` is set, else PGlite in
 * `dataDir` (`memory://` for a throwaway in-memory database).
 */
import { openPglite } from './pglite-client';
import { openPostgres } from './postgres-client';
import { SqlStore } from './sql-store';
import type { Store } from './types';

export type { Store } from './types';
export { StoreConflictError } from './types';

export const DEFAULT_DATA_DIR = './data/pglite';

export interface StoreOptions {
	databaseUrl?: string;
	dataDir?: string;
}

export async function openStore(options: StoreOptions = {}): Promise<SqlStore> {
	const db = options.databaseUrl
		? await openPostgres(options.databaseUrl)
		: await openPglite(options.dataDir || DEFAULT_DATA_DIR);
	try {
		return await SqlStore.open(db);
	} catch (error) {
		await db.close().catch(() => undefined);
		throw error;
	}
}

let instance: Promise<Store> | null = null;

/** The process's store. The options of the first call win; a failed open is retried next time. */
export function getStore(options: StoreOptions = {}): Promise<Store> {
	instance ??= openStore(options).catch((error: unknown) => {
		instance = null;
		throw error;
	});
	return instance;
}
