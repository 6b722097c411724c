/**
 * Everything a request handler needs, built once per process (see `boot.ts`) or per test. Passing
 * it in keeps handlers free of module state and of `$env`.
 */
import { FailureLimiter } from './auth/failure-limiter';
import type { PosConfig } from './config';
import type { Store } from './store/types';

export interface CatalogPayload {
	currency: string;
	categories: { id: string; name: string }[];
	products: unknown[];
}

export interface Runtime {
	config: PosConfig;
	store: Store;
	catalog: (currency: string) => CatalogPayload;
	now: () => number;
	/** Wrong pairing codes, per client IP: 10 in 10 minutes lock the IP out for 10 minutes. */
	pairingFailures: FailureLimiter;
	/** Wrong staff PINs, per device: 5 lock the device's PIN pad for 60 seconds. */
	pinFailures: FailureLimiter;
}

export function createRuntime(options: {
	config: PosConfig;
	store: Store;
	catalog: (currency: string) => CatalogPayload;
	now?: () => number;
}): Runtime {
	const now = options.now ?? Date.now;
	return {
		config: options.config,
		store: options.store,
		catalog: options.catalog,
		now,
		pairingFailures: new FailureLimiter({
			maxFailures: 10,
			windowMs: 10 * 60_000,
			lockMs: 10 * 60_000,
			now
		}),
		pinFailures: new FailureLimiter({ maxFailures: 5, windowMs: 10 * 60_000, lockMs: 60_000, now })
	};
}
