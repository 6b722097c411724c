import { json } from '@sveltejs/kit';
import { issuePairingCode } from '../auth/pairing-codes';
import { deviceNotPaired, jsonError, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

/**
 * `POST /api/devices/pairing-codes` → `{ code, expiresAt }`: a one-time code that pairs one more
 * till, issued to a manager signed in on a paired till.
 */
export async function newPairingCode(rt: Runtime, event: ApiEvent): Promise<Response> {
	const device = event.locals.device;
	if (!device) return deviceNotPaired();
	const staff = event.locals.staff;
	if (!staff) {
		return jsonError(401, 'not_signed_in', 'Sign in as a manager to issue a pairing code.');
	}
	if (staff.role !== 'manager') {
		return jsonError(403, 'not_a_manager', 'Only a manager can issue a pairing code.');
	}
	return json(await issuePairingCode(rt, { deviceId: device.id, staffId: staff.id }));
}
