/**
 * Counts failures per key (an IP address, a device) and locks the key out once `maxFailures`
 * happened within `windowMs`. The lock lasts `lockMs` from the failure that triggered it; after it
 * the count starts again. In memory: a restart forgives, which is acceptable for a shop's server.
 */
export interface FailureLimiterOptions {
	maxFailures: number;
	windowMs: number;
	lockMs: number;
	now?: () => number;
}

interface Entry {
	failures: number[];
	lockedUntil: number;
}

/** Above this many keys, expired entries are swept so the map cannot grow without bound. */
const SWEEP_THRESHOLD = 10_000;

export class FailureLimiter {
	readonly #options: Required<FailureLimiterOptions>;
	readonly #entries = new Map<string, Entry>();

	constructor(options: FailureLimiterOptions) {
		this.#options = { now: Date.now, ...options };
	}

	/** Milliseconds until `key` may try again; 0 when it is not locked. */
	retryAfter(key: string): number {
		const entry = this.#entries.get(key);
		if (!entry) return 0;
		const wait = entry.lockedUntil - this.#options.now();
		return wait > 0 ? wait : 0;
	}

	/** Records a failure; returns the lock's duration in ms when this failure caused one, else 0. */
	fail(key: string): number {
		const now = this.#options.now();
		const { maxFailures, windowMs, lockMs } = this.#options;
		if (this.#entries.size > SWEEP_THRESHOLD) this.#sweep(now);
		const entry = this.#entries.get(key) ?? { failures: [], lockedUntil: 0 };
		entry.failures = entry.failures.filter((at) => now - at < windowMs);
		entry.failures.push(now);
		if (entry.failures.length >= maxFailures) {
			entry.lockedUntil = now + lockMs;
			entry.failures = [];
		}
		this.#entries.set(key, entry);
		return entry.lockedUntil > now ? entry.lockedUntil - now : 0;
	}

	/** Forgets the failures of `key`, after a success. */
	reset(key: string): void {
		this.#entries.delete(key);
	}

	#sweep(now: number): void {
		for (const [key, entry] of this.#entries) {
			const recent = entry.failures.some((at) => now - at < this.#options.windowMs);
			if (!recent && entry.lockedUntil <= now) this.#entries.delete(key);
		}
	}
}
