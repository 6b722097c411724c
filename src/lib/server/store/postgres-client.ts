/**
 * PostgreSQL through node-postgres (`DATABASE_URL`): a pool for queries and transactions, and one
 * connection of its own for LISTEN, opened on the first `listen` and opened again when it drops.
 */
import pg from 'pg';
import type { Listener, SqlClient, SqlExecutor } from './sql';

/** PostgreSQL type OID of int8: node-postgres returns it as a string unless told otherwise. */
const INT8_OID = 20;
/** How long to wait before opening a lost LISTEN connection again. */
const RELISTEN_MS = 1_000;

export async function openPostgres(connectionString: string): Promise<SqlClient> {
	// Times are epoch milliseconds, well inside Number's safe range.
	pg.types.setTypeParser(INT8_OID, (value: string) => Number(value));
	const pool = new pg.Pool({ connectionString, max: 10 });
	// An idle client losing its connection must not crash the process; the pool replaces it.
	pool.on('error', (error) => console.error('PostgreSQL pool error:', error.message));
	const run = async <T>(on: pg.Pool | pg.PoolClient, text: string, params?: unknown[]) =>
		(await on.query(text, params)).rows as T[];
	const listening = new ListenConnection(connectionString);
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
		listen: (channel, listener) => listening.add(channel, listener),
		async close() {
			await listening.close();
			await pool.end();
		}
	};
}

/** Channel names are identifiers the server chooses, never input. */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

class ListenConnection {
	readonly #url: string;
	readonly #listeners = new Map<string, Set<Listener>>();
	#client: Promise<pg.Client> | null = null;
	#closed = false;

	constructor(url: string) {
		this.#url = url;
	}

	async add(channel: string, listener: Listener): Promise<() => void> {
		if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${channel}`);
		let set = this.#listeners.get(channel);
		const fresh = !set;
		if (!set) this.#listeners.set(channel, (set = new Set()));
		set.add(listener);
		const client = await this.#connect();
		if (fresh) await client.query(`listen ${channel}`);
		return () => {
			set.delete(listener);
		};
	}

	#connect(): Promise<pg.Client> {
		this.#client ??= (async () => {
			const client = new pg.Client({ connectionString: this.#url });
			client.on('notification', (message) => {
				for (const listener of this.#listeners.get(message.channel) ?? []) {
					listener(message.payload ?? '');
				}
			});
			const lost = () => {
				if (this.#closed) return;
				this.#client = null;
				client.end().catch(() => {});
				// Listeners miss what is sent meanwhile; their owners poll as well (a wake-up only).
				setTimeout(() => this.#reopen(), RELISTEN_MS).unref();
			};
			client.on('error', lost);
			client.on('end', lost);
			await client.connect();
			return client;
		})();
		return this.#client;
	}

	async #reopen() {
		if (this.#closed || this.#listeners.size === 0) return;
		try {
			const client = await this.#connect();
			for (const channel of this.#listeners.keys()) await client.query(`listen ${channel}`);
		} catch {
			this.#client = null;
			setTimeout(() => this.#reopen(), RELISTEN_MS).unref();
		}
	}

	async close() {
		this.#closed = true;
		const client = await this.#client?.catch(() => null);
		await client?.end().catch(() => {});
	}
}
