/**
 * PostgreSQL through node-postgres, loaded only when `DATABASE_URL` is set so that a PGlite
 * installation does not need the package.
 */
import type { SqlClient, SqlExecutor } from './sql';

interface PgQueryable {
	query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}
interface PgPoolClient extends PgQueryable {
	release(error?: Error | boolean): void;
}
interface PgPool extends PgQueryable {
	connect(): Promise<PgPoolClient>;
	end(): Promise<void>;
	on(event: 'error', listener: (error: Error) => void): unknown;
}
interface PgModule {
	Pool: new (options: { connectionString: string; max?: number }) => PgPool;
	types: { setTypeParser(oid: number, parser: (value: string) => unknown): void };
}

/** PostgreSQL type OID of int8: node-postgres returns it as a string unless told otherwise. */
const INT8_OID = 20;

async function loadPg(): Promise<PgModule> {
	// A variable specifier keeps bundlers and TypeScript from requiring the optional package.
	const name = 'pg';
	try {
		const mod = (await import(/* @vite-ignore */ name)) as { default?: PgModule } & PgModule;
		return mod.default ?? mod;
	} catch (error) {
		throw new Error(
			`DATABASE_URL is set but the "pg" package is not installed. Run \`npm install pg\`, or unset DATABASE_URL to use the built-in PGlite store. (${(error as Error).message})`
		);
	}
}

export async function openPostgres(connectionString: string): Promise<SqlClient> {
	const pg = await loadPg();
	// Times are epoch milliseconds, well inside Number's safe range.
	pg.types.setTypeParser(INT8_OID, (value) => Number(value));
	const pool = new pg.Pool({ connectionString, max: 10 });
	// An idle client losing its connection must not crash the process; the pool replaces it.
	pool.on('error', (error) => console.error('PostgreSQL pool error:', error.message));
	const run = async <T>(on: PgQueryable, text: string, params?: unknown[]) =>
		(await on.query(text, params)).rows as T[];
	return {
		kind: 'postgres',
		query: (text, params) => run(pool, text, params),
		async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>) {
			const client = await pool.connect();
			try {
				await client.query('begin');
				const result = await fn({ query: (text, params) => run(client, text, params) });
				await client.query('commit');
				client.release();
				return result;
			} catch (error) {
				// A connection that cannot even roll back is broken: destroy it rather than reuse it.
				const rolledBack = await client.query('rollback').then(
					() => true,
					() => false
				);
				client.release(!rolledBack);
				throw error;
			}
		},
		close: () => pool.end()
	};
}
