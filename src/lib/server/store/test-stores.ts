/**
 * The stores the server tests run against: the embedded PGlite, and a real PostgreSQL (a fresh
 * database per call on the server `src/test-global-setup.ts` provides). Test-only.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { openPglite } from './pglite-client';
import { openPostgres } from './postgres-client';
import type { SqlClient } from './sql';
import { SqlStore } from './sql-store';

export interface TestBackend {
	name: 'pglite' | 'postgres';
	/**
	 * Opens a store on an empty database. `another()` opens a second store on the same database, as
	 * a second server instance would (PostgreSQL only: an in-memory PGlite has one connection).
	 */
	open(): Promise<{ db: SqlClient; store: SqlStore; another?: () => Promise<SqlStore> }>;
}

const postgresUrl = inject('postgresUrl');

async function createDatabase(serverUrl: string): Promise<string> {
	const { default: pg } = await import('pg');
	const name = `pos_test_${randomBytes(6).toString('hex')}`;
	const client = new pg.Client({ connectionString: serverUrl });
	await client.connect();
	try {
		await client.query(`create database ${name}`);
	} finally {
		await client.end();
	}
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

export const pgliteBackend: TestBackend = {
	name: 'pglite',
	async open() {
		const db = await openPglite('memory://');
		return { db, store: await SqlStore.open(db) };
	}
};

export const postgresBackend: TestBackend = {
	name: 'postgres',
	async open() {
		const databaseUrl = await createDatabase(postgresUrl);
		const db = await openPostgres(databaseUrl);
		return {
			db,
			store: await SqlStore.open(db),
			another: async () => SqlStore.open(await openPostgres(databaseUrl))
		};
	}
};

/** PGlite always; PostgreSQL when there is one. */
export const testBackends: TestBackend[] = postgresUrl
	? [pgliteBackend, postgresBackend]
	: [pgliteBackend];

/** Whether the PostgreSQL tests can run (`describe.skipIf(!hasPostgres)`). */
export const hasPostgres = postgresUrl !== '';
