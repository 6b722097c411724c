import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { checkPin } from '../auth/check-pin';
import { SESSION_TTL_MS, signSession } from '../auth/session-token';
import { deviceNotPaired, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

const loginBody = z.object({ pin: z.string().min(1).max(32) });

/** `POST /api/auth/login { pin }` → `{ staff, sessionToken, expiresAt }`. */
export async function staffLogin(rt: Runtime, event: ApiEvent): Promise<Response> {
	const device = event.locals.device;
	if (!device) return deviceNotPaired();
	const body = await parseJsonBody(event.request, loginBody);
	if (!body.ok) return body.response;
	const caller = { deviceId: device.id, staffId: event.locals.staff?.id ?? null };
	const check = await checkPin(rt, caller, body.data.pin);
	if (!check.ok) return check.response;
	await rt.store.recordSignIn(device.id, check.staff.id, rt.now());
	const expiresAt = rt.now() + SESSION_TTL_MS;
	const sessionToken = signSession(
		{ staffId: check.staff.id, deviceId: device.id, exp: expiresAt },
		rt.config.sessionSecret
	);
	return json({ staff: check.staff, sessionToken, expiresAt });
}
