import { json } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SESSION_TTL_MS, signSession } from '../auth/session-token';
import { findStaffByPin, type StaffMember } from '../auth/staff';
import { deviceNotPaired, jsonError, parseJsonBody, tooMany, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

const pin = z.string().min(1).max(32);
const loginBody = z.object({ pin });
const managerBody = z.object({
	pin,
	action: z.string().trim().min(1).max(64),
	orderId: z.string().min(1).max(64).optional()
});

function lockedOut(ms: number): Response {
	const seconds = Math.max(1, Math.ceil(ms / 1000));
	return tooMany('locked_out', `Too many wrong PINs. Try again in ${seconds} seconds.`, ms);
}

/**
 * The PIN check both endpoints share, with the per-device lockout: the manager endpoint must not
 * be a second, unlimited way to guess PINs.
 */
async function checkPin(
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

/** `POST /api/auth/login { pin }` → `{ staff, sessionToken, expiresAt }`. */
export async function staffLogin(rt: Runtime, event: ApiEvent): Promise<Response> {
	const device = event.locals.device;
	if (!device) return deviceNotPaired();
	const body = await parseJsonBody(event.request, loginBody);
	if (!body.ok) return body.response;
	const check = await checkPin(rt, device.id, body.data.pin);
	if (!check.ok) return check.response;
	const expiresAt = rt.now() + SESSION_TTL_MS;
	const sessionToken = signSession(
		{ staffId: check.staff.id, deviceId: device.id, exp: expiresAt },
		rt.config.sessionSecret
	);
	return json({ staff: check.staff, sessionToken, expiresAt });
}

/** `POST /api/auth/manager { pin, action, orderId? }` → `{ ok, manager, approvalId }`. */
export async function managerApproval(rt: Runtime, event: ApiEvent): Promise<Response> {
	const device = event.locals.device;
	if (!device) return deviceNotPaired();
	const body = await parseJsonBody(event.request, managerBody);
	if (!body.ok) return body.response;
	const check = await checkPin(rt, device.id, body.data.pin);
	if (!check.ok) return check.response;
	if (check.staff.role !== 'manager') {
		return jsonError(403, 'not_a_manager', 'That PIN does not belong to a manager.');
	}
	const approvalId = randomUUID();
	await rt.store.recordApproval({
		id: approvalId,
		deviceId: device.id,
		managerId: check.staff.id,
		requestedBy: event.locals.staff?.id ?? null,
		action: body.data.action,
		orderId: body.data.orderId ?? null,
		createdAt: rt.now()
	});
	return json({
		ok: true,
		manager: { id: check.staff.id, name: check.staff.name },
		approvalId
	});
}
