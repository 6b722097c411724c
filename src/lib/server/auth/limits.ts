/**
 * How many wrong guesses are allowed, per what, and for how long a lock holds. The counters live in
 * the database (`auth_counters`), so every server instance on it counts the same guesses.
 */
import type { LockPolicy } from './lockout';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface Limits {
	/** Wrong PINs on one till's PIN pad. */
	pinDevice: LockPolicy;
	/** Wrong PINs tried by one signed-in staff member (e.g. a cashier asking for a manager's). */
	pinStaff: LockPolicy;
	/** Wrong PINs on all the store's tills together: many tills cannot multiply the guesses. */
	pinStore: LockPolicy;
	/** Wrong pairing codes from one address. */
	pairIp: LockPolicy;
	/** Wrong pairing codes from everywhere: many addresses cannot multiply the guesses. */
	pairStore: LockPolicy;
}

export const DEFAULT_LIMITS: Limits = {
	pinDevice: {
		maxFailures: 5,
		windowMs: 10 * MINUTE,
		baseLockMs: MINUTE,
		maxLockMs: HOUR,
		forgetMs: 24 * HOUR
	},
	pinStaff: {
		maxFailures: 5,
		windowMs: 10 * MINUTE,
		baseLockMs: MINUTE,
		maxLockMs: HOUR,
		forgetMs: 24 * HOUR
	},
	// A shop's tills together; one till alone is locked long before it gets here.
	pinStore: {
		maxFailures: 30,
		windowMs: 10 * MINUTE,
		baseLockMs: 5 * MINUTE,
		maxLockMs: HOUR,
		forgetMs: 24 * HOUR
	},
	pairIp: {
		maxFailures: 10,
		windowMs: 10 * MINUTE,
		baseLockMs: 10 * MINUTE,
		maxLockMs: 24 * HOUR,
		forgetMs: 24 * HOUR
	},
	pairStore: {
		maxFailures: 30,
		windowMs: 10 * MINUTE,
		baseLockMs: 10 * MINUTE,
		maxLockMs: 24 * HOUR,
		forgetMs: 24 * HOUR
	}
};
