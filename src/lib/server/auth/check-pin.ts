import { jsonError, tooMany } from '../http';
import type { Runtime } from '../runtime';
import { findStaffByPin, type StaffMember } from './staff';

function lockedOut(ms: number): Response {
	const seconds = Math.max(1, Math.ceil(ms / 1000));
	return tooMany('locked_out', `Too many wrong PINs. Try again in ${seconds} seconds.`, ms);
}

/**
 * The PIN check both endpoints share, with the per-device lockout: the manager endpoint must not
 * be a second, unlimited way to guess PINs.
 */
export async function checkPin(
	rt: Runtime,
	deviceId: string,
	pinValue: string
): Promise<{ ok: true; staff: StaffMember } | { ok: false; response: Response }> {
	const wait = rt.pinFailures.retryAfter(deviceId);
	if (wait > 0) return { ok: false, response: lockedOut(wait) };
	const staff = await findStaffByPin(rt.config.staff, pinValue);
	if (!staff) {
		const lock = rt.pinFailures.fail(deviceId);
		if (lock > 0) return { ok: false, response: lockedOut(lock) };
		return { ok: false, response: jsonError(401, 'wrong_pin', 'That PIN is not recognised.') };
	}
	rt.pinFailures.reset(deviceId);
	return { ok: true, staff };
}
