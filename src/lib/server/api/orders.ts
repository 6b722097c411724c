import { json } from '@sveltejs/kit';
import { z } from 'zod/mini';
import { calendarDay } from '$lib/orders/calendar-day';
import { cleanString } from '$lib/text/clean-text';
import { deviceNotPaired, jsonError, parseValue, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

/** The store gets only what it can search for: a real day, clean text. */
const ordersQuery = z.object({
	day: z.optional(calendarDay()),
	q: z.optional(cleanString().check(z.maxLength(64))),
	limit: z._default(z.pipe(z.coerce.number(), z.int()).check(z.gte(1)).check(z.lte(500)), 100),
	offset: z._default(z.pipe(z.coerce.number(), z.int()).check(z.gte(0)), 0)
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
