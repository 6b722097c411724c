import { json } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { z } from 'zod/mini';
import { cleanString } from '$lib/text/clean-text';
import { guardedCheck } from '../auth/guarded-check';
import { usePairingCode } from '../auth/pairing-codes';
import { hashToken, newDeviceToken } from '../auth/tokens';
import { jsonError, parseJsonBody, tooMany, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

// Clean text: a NUL in a till's name must be a 400, not a database error.
const pairBody = z.object({
	code: cleanString().check(z.minLength(1)).check(z.maxLength(64)),
	name: cleanString().check(z.trim()).check(z.minLength(1)).check(z.maxLength(80))
});

/**
 * `POST /api/devices/pair { code, name }` → `{ deviceId, token }`. Wrong codes count per address
 * and for the whole store, so guesses spread over many addresses are bounded too.
 */
export async function pairDevice(rt: Runtime, event: ApiEvent): Promise<Response> {
	const body = await parseJsonBody(event.request, pairBody);
	if (!body.ok) return body.response;
	const ip = event.getClientAddress();
	const result = await guardedCheck({
		store: rt.store,
		now: rt.now,
		counters: [
			{ key: `pair:ip:${ip}`, policy: rt.limits.pairIp },
			{ key: 'pair:store', policy: rt.limits.pairStore }
		],
		check: () => usePairingCode(rt, body.data.code),
		audit: { kind: 'pairing_lockout', deviceId: null, staffId: null, detail: { ip } }
	});
	if (!result.ok) {
		if (result.reason === 'locked') return lockedOut(result.waitMs);
		return jsonError(
			401,
			'wrong_pairing_code',
			'That pairing code is not right, or it was used already or has expired. A manager can issue one in Settings on a paired till.'
		);
	}
	const token = newDeviceToken();
	const now = rt.now();
	const device = await rt.store.createDevice({
		id: randomUUID(),
		name: body.data.name,
		tokenHash: hashToken(token),
		now
	});
	await rt.store.recordAudit({
		at: now,
		kind: 'device_paired',
		deviceId: device.id,
		staffId: null,
		detail: { with: result.value, name: device.name, ip }
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
