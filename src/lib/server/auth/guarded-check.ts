/**
 * Runs a secret check (a PIN, a pairing code) under lock-out counters kept in the store: the guess
 * is reserved on every counter first, in one transaction, then checked; a right guess gives its
 * reservation back, a wrong one keeps it. Every lock a wrong guess causes is written to the audit log.
 */
import type { Store } from '../store/types';
import { giveBack, reserveAll, type Counter } from './lockout';

export type GuardedResult<T> =
	| { ok: true; value: T }
	| { ok: false; reason: 'locked'; waitMs: number }
	| { ok: false; reason: 'wrong' };

export interface GuardedCheck<T> {
	store: Store;
	now: () => number;
	counters: Counter[];
	/** The value when the guess is right, null when it is wrong. */
	check: () => Promise<T | null>;
	/** What a lock-out is logged as. */
	audit: {
		kind: string;
		deviceId: string | null;
		staffId: string | null;
		detail?: Record<string, unknown>;
	};
}

export async function guardedCheck<T>(options: GuardedCheck<T>): Promise<GuardedResult<T>> {
	const { store, counters } = options;
	const keys = counters.map((c) => c.key);
	const at = options.now();
	const reserved = await store.updateCounters(keys, (states) => {
		const result = reserveAll(counters, states, at);
		return { next: result.ok ? result.reservations.map((r) => r.after) : null, result };
	});
	if (!reserved.ok) return { ok: false, reason: 'locked', waitMs: reserved.waitMs };
	let value: T | null;
	try {
		value = await options.check();
	} catch (error) {
		// Not a guess that failed, a check that could not run: it costs the caller nothing.
		await release(store, keys, reserved.reservations);
		throw error;
	}
	if (value !== null) {
		await release(store, keys, reserved.reservations);
		return { ok: true, value };
	}
	if (reserved.lockMs === 0) return { ok: false, reason: 'wrong' };
	await store.recordAudit({
		at,
		kind: options.audit.kind,
		deviceId: options.audit.deviceId,
		staffId: options.audit.staffId,
		detail: { ...options.audit.detail, locked: reserved.lockedKeys, lockMs: reserved.lockMs }
	});
	return { ok: false, reason: 'locked', waitMs: reserved.lockMs };
}

function release(
	store: Store,
	keys: string[],
	reservations: Parameters<typeof giveBack>[1][]
): Promise<void> {
	return store.updateCounters(keys, (states) => ({
		next: states.map((state, i) => {
			const reservation = reservations[i];
			return reservation ? giveBack(state, reservation) : state;
		}),
		result: undefined
	}));
}
