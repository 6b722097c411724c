/**
 * The little the store needs from a SQL connection. PGlite and node-postgres both fit behind it,
 * and both speak the same SQL (PGlite is PostgreSQL).
 */
export interface SqlExecutor {
	query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export type Listener = (payload: string) => void;

export interface SqlClient extends SqlExecutor {
	readonly kind: 'pglite' | 'postgres';
	/** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
	transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
	/**
	 * LISTEN: `listener` gets the payload of each `pg_notify(channel, …)` committed by any
	 * connection to the database (every server instance on one PostgreSQL). Resolves once listening;
	 * the function it gives stops this listener. A wake-up, not a queue: while a lost connection is
	 * opened again, notifications are missed, so whoever listens also looks by itself now and then.
	 */
	listen(channel: string, listener: Listener): Promise<() => void>;
	close(): Promise<void>;
}

/** PostgreSQL's SQLSTATE for a unique constraint violation. */
export const UNIQUE_VIOLATION = '23505';

export function sqlState(error: unknown): string | undefined {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : undefined;
}
