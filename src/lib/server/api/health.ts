import { json } from '@sveltejs/kit';
import { jsonError } from '../http';
import type { Runtime } from '../runtime';

/** `GET /api/health`: no auth; 503 when the store cannot be reached. */
export async function health(runtime: () => Promise<Runtime>): Promise<Response> {
	try {
		const rt = await runtime();
		await rt.store.ping();
		return json({ ok: true, store: rt.store.kind });
	} catch (error) {
		console.error('POS server: health check failed:', (error as Error).message);
		return jsonError(503, 'store_unavailable', 'The POS server cannot reach its database.', {
			ok: false
		});
	}
}
