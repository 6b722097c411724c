/**
 * Wake-ups across server instances: a writer commits `pg_notify(channel, key)` with its change,
 * and every instance's waiters on that key wake at once (LISTEN on PostgreSQL; PGlite has the
 * same within its one process). A waiter that hears nothing wakes after its own timeout and looks
 * anyway, so a notification lost while a connection is replaced delays a change, never loses it.
 */
import type { SqlClient } from './sql';

export interface Armed {
	/** Resolves at once when the key changed since `arm`, else at the next change or the timeout. */
	wait(timeoutMs: number): Promise<void>;
}

/** `pg_notify` on `channel` (a constant of the server's) with the key as `$1`. */
export function notifySql(channel: string): string {
	return `select pg_notify('${channel}', $1)`;
}

export class ChangeFeed {
	readonly #db: SqlClient;
	readonly #channel: string;
	readonly #waiters = new Map<string, Set<() => void>>();
	#listening: Promise<boolean> | null = null;

	constructor(db: SqlClient, channel: string) {
		this.#db = db;
		this.#channel = channel;
	}

	/** The SQL a writer runs in its transaction, with the key as `$1`. */
	get notifySql(): string {
		return notifySql(this.#channel);
	}

	/** Starts listening (once); false when the database would not (the waiters then just poll). */
	ready(): Promise<boolean> {
		this.#listening ??= this.#db
			.listen(this.#channel, (key) => {
				const waiters = this.#waiters.get(key);
				if (!waiters) return;
				this.#waiters.delete(key);
				for (const wake of waiters) wake();
			})
			.then(
				() => true,
				(error: Error) => {
					console.error(`LISTEN ${this.#channel} failed, polling only:`, error.message);
					return false;
				}
			);
		return this.#listening;
	}

	/** Watches `key` from now: arm, then read what is there, then wait. */
	arm(key: string): Armed {
		let changed = false;
		let wake: (() => void) | null = null;
		const onChange = () => {
			changed = true;
			wake?.();
		};
		let set = this.#waiters.get(key);
		if (!set) this.#waiters.set(key, (set = new Set()));
		set.add(onChange);
		const waiters = this.#waiters;
		return {
			wait(timeoutMs) {
				if (changed) return Promise.resolve();
				return new Promise<void>((resolve) => {
					const timer = setTimeout(done, timeoutMs);
					function done() {
						clearTimeout(timer);
						const current = waiters.get(key);
						current?.delete(onChange);
						if (current?.size === 0) waiters.delete(key);
						resolve();
					}
					wake = done;
				});
			}
		};
	}
}
