import { json } from '@sveltejs/kit';
import { StoreConflictError } from '../store/types';
import { deviceNotPaired, jsonError, readJson, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { parseSyncBody } from '../sync/sync-schema';

/**
 * `POST /api/sync { deviceId, orders, attempts, tenders, events }` →
 * `{ ok: true, accepted, applied }`. `accepted` counts what the server now holds (so the till may
 * move past these events); `applied` counts rows that actually changed (0 on a resend).
 */
export async function sync(rt: Runtime, event: ApiEvent): Promise<Response> {
	const device = event.locals.device;
	if (!device) return deviceNotPaired();
	const body = await readJson(event.request);
	if (!body.ok) return body.response;
	const parsed = parseSyncBody(body.data, device.id);
	if (!parsed.ok) {
		const { status, error, message, issues } = parsed;
		return jsonError(status, error, message, { issues });
	}
	const { orders, attempts, tenders, events } = parsed.batch;
	try {
		const applied = await rt.store.applySync(device.id, { orders, attempts, tenders, events });
		return json({
			ok: true,
			accepted: {
				orders: orders.length,
				attempts: attempts.length,
				tenders: tenders.length,
				events: events.length
			},
			applied
		});
	} catch (error) {
		if (error instanceof StoreConflictError) return jsonError(409, 'conflict', error.message);
		throw error;
	}
}
