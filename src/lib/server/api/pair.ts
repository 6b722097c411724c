import { json } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { hashToken, newDeviceToken, secretsEqual } from '../auth/tokens';
import { jsonError, parseJsonBody, tooMany, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

const pairBody = z.object({
	code: z.string().min(1).max(64),
	name: z.string().trim().min(1).max(80)
});

/** `POST /api/devices/pair { code, name }` → `{ deviceId, token }`. */
export async function pairDevice(rt: Runtime, event: ApiEvent): Promise<Response> {
	const ip = event.getClientAddress();
	const wait = rt.pairingFailures.retryAfter(ip);
	if (wait > 0) return lockedOut(wait);
	const body = await parseJsonBody(event.request, pairBody);
	if (!body.ok) return body.response;
	if (!secretsEqual(body.data.code, rt.config.pairingCode)) {
		const lock = rt.pairingFailures.fail(ip);
		if (lock > 0) return lockedOut(lock);
		return jsonError(401, 'wrong_pairing_code', 'That pairing code is not right.');
	}
	rt.pairingFailures.reset(ip);
	const token = newDeviceToken();
	const device = await rt.store.createDevice({
		id: randomUUID(),
		name: body.data.name,
		tokenHash: hashToken(token),
		now: rt.now()
	});
	return json({ deviceId: device.id, token });
}

function lockedOut(ms: number): Response {
	const minutes = Math.ceil(ms / 60_000);
	return tooMany(
		'too_many_attempts',
		`Too many wrong pairing codes. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
		ms
	);
}
