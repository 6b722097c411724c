import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { checkPin } from '../auth/check-pin';
import { issuePairingCode } from '../auth/pairing-codes';
import { deviceNotPaired, jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { isManagerRole } from '../auth/roles';

const issueBody = z.object({ pin: z.string().min(1).max(32) });

/**
 * `POST /api/devices/pairing-codes { pin }` → `{ code, expiresAt }`: a one-time code that pairs one
 * more till. A new till is a new place to guess PINs from, so a manager types their PIN for each
 * code, like any approval; a manager's session left open on a till is not enough.
 */
export async function newPairingCode(rt: Runtime, event: ApiEvent): Promise<Response> {
	const device = event.locals.device;
	if (!device) return deviceNotPaired();
	const staff = event.locals.staff;
	if (!staff) {
		return jsonError(401, 'not_signed_in', 'Sign in to issue a pairing code.');
	}
	const body = await parseJsonBody(event.request, issueBody);
	if (!body.ok) return body.response;
	const check = await checkPin(rt, { deviceId: device.id, staffId: staff.id }, body.data.pin);
	if (!check.ok) return check.response;
	if (!isManagerRole(check.staff.role)) {
		return jsonError(403, 'not_a_manager', 'Only a manager can issue a pairing code.');
	}
	return json(await issuePairingCode(rt, { deviceId: device.id, staffId: check.staff.id }));
}
