import { describe, expect, it } from 'vitest';
import {
	EMPTY_COUNTER,
	giveBack,
	lockDuration,
	reserve,
	reserveAll,
	type LockPolicy
} from './lockout';

const policy: LockPolicy = {
	maxFailures: 3,
	windowMs: 1_000,
	baseLockMs: 100,
	maxLockMs: 350,
	forgetMs: 10_000
};

/** Reserves `n` failures in a row at `now`, keeping them (wrong guesses). */
function fail(n: number, state = EMPTY_COUNTER, now = 0) {
	let s = state;
	const outcomes = [];
	for (let i = 0; i < n; i++) {
		const r = reserve(s, policy, now);
		outcomes.push(r);
		if (r.ok) s = r.after;
	}
	return { state: s, outcomes };
}

describe('lock-out counters', () => {
	it('take the lock with the max-th reservation, before any check, and refuse the next', () => {
		const { state, outcomes } = fail(4);
		expect(outcomes.map((o) => (o.ok ? o.lockMs : -1))).toEqual([0, 0, 100, -1]);
		expect(outcomes[3]).toEqual({ ok: false, waitMs: 100 });
		expect(reserve(state, policy, 99)).toEqual({ ok: false, waitMs: 1 });
		expect(reserve(state, policy, 100).ok).toBe(true);
	});

	it('give a right guess back, a lock it took included', () => {
		const two = fail(2).state;
		const third = reserve(two, policy, 0);
		if (!third.ok) throw new Error('refused');
		expect(third.lockMs).toBe(100);
		expect(giveBack(third.after, third)).toEqual(two);
		const one = reserve(EMPTY_COUNTER, policy, 0);
		if (!one.ok) throw new Error('refused');
		// Someone reserved after it: only its own failure is taken off.
		const later = fail(1, one.after).state;
		expect(giveBack(later, one).failures).toBe(1);
	});

	it('double each lock in a row up to the cap, and forget after a quiet time', () => {
		expect([0, 1, 2, 3, 40].map((n) => lockDuration(policy, n))).toEqual([100, 200, 350, 350, 350]);
		let state = EMPTY_COUNTER;
		let now = 0;
		const locks: number[] = [];
		for (let round = 0; round < 3; round++) {
			const r = fail(3, state, now);
			const last = r.outcomes.at(-1);
			locks.push(last?.ok ? last.lockMs : -1);
			state = r.state;
			now = state.lockedUntil;
		}
		expect(locks).toEqual([100, 200, 350]);
		const quiet = fail(3, state, state.lockedUntil + policy.forgetMs).outcomes.at(-1);
		expect(quiet?.ok && quiet.lockMs).toBe(100);
	});

	it('start the count again after the window', () => {
		const { state } = fail(2);
		expect(fail(2, state, 1_000).outcomes.every((o) => o.ok && o.lockMs === 0)).toBe(true);
	});

	it('reserve on all counters or none', () => {
		const counters = [
			{ key: 'device', policy },
			{ key: 'store', policy }
		];
		const locked = fail(3).state;
		expect(reserveAll(counters, [EMPTY_COUNTER, locked], 0)).toEqual({ ok: false, waitMs: 100 });
		const result = reserveAll(counters, [fail(2).state, EMPTY_COUNTER], 0);
		expect(result).toMatchObject({ ok: true, lockMs: 100, lockedKeys: ['device'] });
	});
});

describe('a shared counter (the whole store)', () => {
	const store = {
		key: 'store',
		policy: { ...policy, baseLockMs: 5_000, maxLockMs: 5_000 },
		shared: true
	};
	const till = { key: 'till', policy };
	const lockedStore = { failures: 0, windowStart: 0, lockedUntil: 5_000, lockCount: 1 };

	it('lets a till nobody guessed on through its lock, and reserves nothing on it', () => {
		const result = reserveAll([till, store], [EMPTY_COUNTER, lockedStore], 1_000);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.reservations[1]?.after).toBe(result.reservations[1]?.before);
		expect(giveBack(lockedStore, result.reservations[1]!)).toBe(lockedStore);
	});

	it('holds a till that guessed, even once its own lock is over and its count back to 0', () => {
		// The till locked itself at 0 for 100 ms (which set its failures back to 0), the store too.
		const { state } = fail(3);
		expect(state.failures).toBe(0);
		expect(reserveAll([till, store], [state, lockedStore], 200)).toMatchObject({ ok: false });
		expect(reserveAll([till, store], [fail(1).state, lockedStore], 200)).toMatchObject({
			ok: false
		});
		// A window later the till is clean again.
		expect(reserveAll([till, store], [state, lockedStore], 1_200).ok).toBe(true);
	});
});
