/**
 * `GET /api/rails/codepay-cloud/events` (`Last-Event-ID` or `?after=`): a server-sent event stream of
 * the changes of this till's cloud orders. It reads them from the store's event table, so a
 * notification taken by any server instance on the same database reaches a till connected to
 * any other; a till that reconnects with its last id gets what it missed. Without an id it starts
 * from now (the till asks for its open orders by themselves).
 *
 * The stream reads the table when the store's change feed says this till's orders changed: the
 * writer's `pg_notify` reaches every instance's LISTEN, so a change taken anywhere is sent within
 * milliseconds. It also reads every `FALLBACK_MS` by itself, so a wake-up lost while a LISTEN
 * connection is replaced only delays a change.
 */
import { deviceNotPaired, jsonError, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { orderView } from './codepay-cloud';

const FALLBACK_MS = 2_000;
const PAGE = 100;
const HEARTBEAT_MS = 15_000;

export async function cloudEvents(rt: Runtime, event: ApiEvent): Promise<Response> {
	const device = event.locals.device;
	if (!device) return deviceNotPaired();
	const setup = rt.codepayCloud;
	if (!setup.configured) {
		return jsonError(409, 'cloud_not_configured', 'CodePay cloud is not configured on the server.');
	}
	const orders = setup.rail.orders;
	const given = event.request.headers.get('last-event-id') ?? event.url.searchParams.get('after');
	let cursor = given !== null && /^\d{1,15}$/.test(given) ? Number(given) : null;
	if (cursor === null) cursor = await orders.latestEventId(device.id);
	let stopped = false;
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (text: string) => controller.enqueue(encoder.encode(text));
			send(`retry: 1000\n: cursor ${cursor}\n\n`);
			let lastBeat = Date.now();
			await orders.changes.ready();
			while (!stopped) {
				const armed = orders.changes.arm(device.id);
				let more = false;
				try {
					const events = await orders.eventsAfter(device.id, cursor ?? 0, PAGE);
					more = events.length === PAGE;
					for (const change of events) {
						const order = await orders.get(change.merchantOrderNo);
						if (!order) continue;
						const data = {
							...orderView(order),
							state: change.state,
							outcome: change.outcome ?? undefined
						};
						send(`id: ${change.id}\nevent: order\ndata: ${JSON.stringify(data)}\n\n`);
						cursor = change.id;
					}
					if (Date.now() - lastBeat > HEARTBEAT_MS) {
						send(': heartbeat\n\n');
						lastBeat = Date.now();
					}
				} catch {
					// The store hiccuped or the stream closed; the loop ends or tries again.
				}
				if (!more) await armed.wait(FALLBACK_MS);
			}
		},
		cancel() {
			stopped = true;
		}
	});
	event.request.signal?.addEventListener('abort', () => {
		stopped = true;
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			'x-accel-buffering': 'no'
		}
	});
}
