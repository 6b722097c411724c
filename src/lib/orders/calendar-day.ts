/**
 * A day as the journal writes it, `YYYY-MM-DD`, that is also a date on the calendar: the shape
 * alone lets `2026-13-45` or `2026-02-30` through, which no order can have been taken on.
 */
import { z } from 'zod/mini';

export function isCalendarDay(text: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	// setUTCFullYear (not Date.UTC, which reads years below 100 as 19xx) rolls 2026-02-30 over
	// into March; a real date comes back as it went in.
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/** A zod string that must be a calendar day, `YYYY-MM-DD`. */
export function calendarDay() {
	return z.string().check(z.refine(isCalendarDay, 'must be a date, YYYY-MM-DD'));
}
