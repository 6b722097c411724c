import { describe, expect, it } from 'vitest';
import { isCalendarDay } from './calendar-day';

describe('isCalendarDay', () => {
	it.each(['2026-12-02', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2026-01-31'])(
		'takes %s',
		(day) => expect(isCalendarDay(day)).toBe(true)
	);

	it.each([
		'2026-13-45',
		'2026-02-30',
		'2025-02-29',
		'1900-02-29',
		'2026-04-31',
		'2026-00-10',
		'2026-01-00',
		'2026-1-01',
		'20261-01-01',
		'2026-01-01T00:00',
		' 2026-01-01',
		''
	])('refuses %j', (day) => expect(isCalendarDay(day)).toBe(false));
});
