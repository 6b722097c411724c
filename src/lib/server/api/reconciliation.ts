import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { deviceNotPaired, jsonError, parseValue, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { isCalendarDay } from '$lib/orders/calendar-day';
import { isManagerRole } from '../auth/roles';

const query = z.object({
	day: z.string().refine(isCalendarDay, 'day must be a real date (YYYY-MM-DD)')
});

/**
 * `GET /api/reconciliation?day=YYYY-MM-DD` → `{ day, tillReported, refused }`, for a manager at the
 * day's close: the card tenders only a till vouches for (the server never saw that terminal
 * traffic), to check against the terminals' own batch totals, and the records sync refused.
 */
export async function reconciliation(rt: Runtime, event: ApiEvent): Promise<Response> {
	if (!event.locals.device) return deviceNotPaired();
	const staff = event.locals.staff;
	if (!staff) return jsonError(401, 'staff_session_required', 'Sign in as a manager.');
	if (!isManagerRole(staff.role)) {
		return jsonError(403, 'not_a_manager', 'Only a manager can reconcile the day.');
	}
	const parsed = parseValue(Object.fromEntries(event.url.searchParams), query);
	if (!parsed.ok) return parsed.response;
	const { day } = parsed.data;
	const [tillReported, refused] = await Promise.all([
		rt.store.listTillReported(day),
		rt.store.listQuarantine(day)
	]);
	return json({ day, tillReported, refused });
}
