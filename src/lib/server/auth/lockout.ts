/**
 * Lock-out arithmetic, pure. A guess is *reserved* on every counter it concerns before it is
 * checked, as if it had already failed: with `maxFailures` reservations in a window the next one
 * is refused, so a burst of concurrent guesses gets at most `maxFailures` checks, however slow the
 * check. A check that succeeds gives its reservation back; nothing else ever clears a failure (a
 * cashier's right PIN does not forgive the wrong manager PINs tried before it on that till).
 */
import type { CounterState } from '../store/types';

export interface LockPolicy {
	maxFailures: number;
	windowMs: number;
	/** The first lock; each lock in a row lasts twice the one before, up to `maxLockMs`. */
	baseLockMs: number;
	maxLockMs: number;
	/** After this long without a lock, the next one is short again. */
	forgetMs: number;
}

export const EMPTY_COUNTER: CounterState = {
	failures: 0,
	windowStart: 0,
	lockedUntil: 0,
	lockCount: 0
};

export function lockDuration(policy: LockPolicy, lockCount: number): number {
	return Math.min(policy.baseLockMs * 2 ** Math.min(lockCount, 30), policy.maxLockMs);
}

export type Reservation =
	| { ok: false; waitMs: number }
	| {
			ok: true;
			before: CounterState;
			after: CounterState;
			/** This reservation took a lock: the lock's length, else 0. */
			lockMs: number;
	  };

/** Reserves one failure on `state`, or refuses while it is locked. */
export function reserve(state: CounterState, policy: LockPolicy, now: number): Reservation {
	if (state.lockedUntil > now) return { ok: false, waitMs: state.lockedUntil - now };
	const next = { ...state };
	if (next.lockedUntil > 0 && now - next.lockedUntil >= policy.forgetMs) next.lockCount = 0;
	if (now - next.windowStart >= policy.windowMs) {
		next.failures = 0;
		next.windowStart = now;
	}
	next.failures += 1;
	let lockMs = 0;
	if (next.failures >= policy.maxFailures) {
		lockMs = lockDuration(policy, next.lockCount);
		next.lockedUntil = now + lockMs;
		next.lockCount += 1;
		next.failures = 0;
		next.windowStart = now;
	}
	return { ok: true, before: state, after: next, lockMs };
}

function same(a: CounterState, b: CounterState): boolean {
	return (
		a.failures === b.failures &&
		a.windowStart === b.windowStart &&
		a.lockedUntil === b.lockedUntil &&
		a.lockCount === b.lockCount
	);
}

/** After the check succeeded: undoes the reservation, including a lock it took. */
export function giveBack(
	current: CounterState,
	reservation: { before: CounterState; after: CounterState }
): CounterState {
	// A shared counter that let a clean caller through reserved nothing.
	if (reservation.before === reservation.after) return current;
	if (same(current, reservation.after)) return reservation.before;
	// Others reserved since. A lock this reservation took stays (they may have been refused by it);
	// otherwise only its one failure is taken off.
	if (reservation.after.lockedUntil !== reservation.before.lockedUntil) return current;
	return { ...current, failures: Math.max(0, current.failures - 1) };
}

export interface Counter {
	key: string;
	policy: LockPolicy;
	/**
	 * A counter over many callers (the whole store). While it is locked it still lets a caller
	 * through whose own counters are clean (no wrong guess in their window): one cashier guessing on
	 * several tills must not lock the whole shop out of its PIN pads, while each till that guessed
	 * waits, so the lock still bounds the guesses to about one per till per window.
	 */
	shared?: boolean;
}

/**
 * No wrong guess in the current window, and no lock of its own in it either (a lock sets the
 * failures back to 0, which alone would make a till that just guessed look clean).
 */
function isClean(state: CounterState, policy: LockPolicy, now: number): boolean {
	if (state.lockedUntil > now) return false;
	if (state.lockedUntil > 0 && now - state.lockedUntil < policy.windowMs) return false;
	return state.failures === 0 || now - state.windowStart >= policy.windowMs;
}

export type MultiReservation =
	| { ok: false; waitMs: number }
	| {
			ok: true;
			reservations: Extract<Reservation, { ok: true }>[];
			/** The longest lock this guess took, and on which keys: 0 and [] when none. */
			lockMs: number;
			lockedKeys: string[];
	  };

/**
 * Reserves on every counter or on none: a guess refused by one counter (the till is locked) does
 * not use up another's (the store's).
 */
export function reserveAll(
	counters: readonly Counter[],
	states: CounterState[],
	now: number
): MultiReservation {
	const state = (i: number) => states[i] ?? EMPTY_COUNTER;
	const clean = counters.every((c, i) => c.shared || isClean(state(i), c.policy, now));
	const results = counters.map((c, i): Reservation => {
		const reservation = reserve(state(i), c.policy, now);
		if (reservation.ok || !c.shared || !clean) return reservation;
		const held = state(i);
		return { ok: true, before: held, after: held, lockMs: 0 };
	});
	const refused = results.filter((r) => !r.ok);
	if (refused.length > 0) {
		return { ok: false, waitMs: Math.max(...refused.map((r) => r.waitMs)) };
	}
	const reservations = results.filter((r) => r.ok);
	const lockedKeys = counters
		.filter((_, i) => (reservations[i]?.lockMs ?? 0) > 0)
		.map((c) => c.key);
	return {
		ok: true,
		reservations,
		lockMs: Math.max(0, ...reservations.map((r) => r.lockMs)),
		lockedKeys
	};
}
