/**
 * A refused record as the back office sees it: kept as it came, made storable. `JSON.stringify`
 * writes NUL and lone surrogates as `\u` escapes, so the text holds neither; it is cut to a size a
 * row can hold, and cleaned again in case the cut split a surrogate pair. Pure.
 */
import { cleanText } from '$lib/text/clean-text';
import { isCalendarDay } from '$lib/orders/calendar-day';
import type { Rejection } from './parse-batch';

export const MAX_QUARANTINE_CHARS = 16_000;

export interface QuarantineEntry {
	entity: Rejection['entity'];
	id: string;
	reason: string;
	message: string;
	/** The record's own day when it names a real one, else the UTC day it was refused. */
	day: string;
	raw: string;
}

export function quarantineEntry(rejection: Rejection, now: number): QuarantineEntry {
	const text = JSON.stringify(rejection.raw) ?? 'null';
	const raw = text.length > MAX_QUARANTINE_CHARS ? `${text.slice(0, MAX_QUARANTINE_CHARS)}…` : text;
	const day = (rejection.raw as { day?: unknown } | null)?.day;
	return {
		entity: rejection.entity,
		id: cleanText(rejection.id),
		reason: rejection.reason,
		message: cleanText(rejection.message),
		day:
			typeof day === 'string' && isCalendarDay(day)
				? day
				: new Date(now).toISOString().slice(0, 10),
		raw: cleanText(raw)
	};
}
