import { jsonError, tooMany } from '../http';
import type { Runtime } from '../runtime';
import { guardedCheck } from './guarded-check';
import type { Counter } from './lockout';
import { findStaffByPin, type StaffMember } from './staff';

/** "45 seconds", "3 minutes": how long a cashier has to wait. */
export function waitText(ms: number): string {
	const seconds = Math.max(1, Math.ceil(ms / 1000));
	if (seconds < 120) return `${seconds} seconds`;
	return `${Math.ceil(seconds / 60)} minutes`;
}

function lockedOut(ms: number): Response {
	return tooMany('locked_out', `Too many wrong PINs. Try again in ${waitText(ms)}.`, ms);
}

/** Who is typing the PIN: the till, and the staff member signed in on it, if any. */
export interface PinCaller {
	deviceId: string;
	staffId: string | null;
}

/**
 * The PIN check `/api/auth/login` and `/api/auth/manager` share. Each guess counts against the
 * till, the signed-in staff member and the whole store, and is counted before the slow hash runs,
 * so neither a cashier's own right PIN in between nor a burst of concurrent guesses buys more.
 */
export async function checkPin(
	rt: Runtime,
	caller: PinCaller,
	pinValue: string
): Promise<{ ok: true; staff: StaffMember } | { ok: false; response: Response }> {
	const counters: Counter[] = [
		{ key: `pin:device:${caller.deviceId}`, policy: rt.limits.pinDevice },
		{ key: 'pin:store', policy: rt.limits.pinStore, shared: true }
	];
	if (caller.staffId)
		counters.push({ key: `pin:staff:${caller.staffId}`, policy: rt.limits.pinStaff });
	const result = await guardedCheck({
		store: rt.store,
		now: rt.now,
		counters,
		check: () => findStaffByPin(rt.config.staff, pinValue),
		audit: { kind: 'pin_lockout', deviceId: caller.deviceId, staffId: caller.staffId }
	});
	if (result.ok) return { ok: true, staff: result.value };
	if (result.reason === 'locked') return { ok: false, response: lockedOut(result.waitMs) };
	return { ok: false, response: jsonError(401, 'wrong_pin', 'That PIN is not recognised.') };
}
