import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { calendarDay } from '$lib/orders/calendar-day';
import { cleanString } from '$lib/text/clean-text';
import { deviceNotPaired, jsonError, parseValue, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

/** The store gets only what it can search for: a real day, clean text. */
const ordersQuery = z.object({
	day: calendarDay().optional(),
	q: cleanString().max(64).optional(),
	limit: z.coerce.number().int().min(1).max(500).default(100),
	offset: z.coerce.number().int().min(0).default(0)
});

/** `GET /api/orders?day=&q=&limit=&offset=` → `{ orders }`, newest first, from every device. */
export async function listOrders(rt: Runtime, event: ApiEvent): Promise<Response> {
	if (!event.locals.device) return deviceNotPaired();
	if (!event.locals.staff) {
		return jsonError(401, 'staff_session_required', 'Sign in to see the orders.');
	}
	const params = Object.fromEntries(
		[...event.url.searchParams].filter(([, value]) => value !== '')
	);
	const query = parseValue(params, ordersQuery);
	if (!query.ok) return query.response;
	return json({ orders: await rt.store.listOrders(query.data) });
}
