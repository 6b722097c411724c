import { describe, expect, it } from 'vitest';
import { isCalendarDay } from './calendar-day';

describe('isCalendarDay', () => {
	it('takes days the calendar has, and only those', () => {
		for (const day of ['2026-12-02', '2024-02-29', '2000-02-29', '1999-12-31']) {
			expect(isCalendarDay(day), day).toBe(true);
		}
		for (const day of [
			'2026-13-45',
			'2023-02-29',
			'1900-02-29',
			'2026-04-31',
			'2026-00-10',
			'2026-1-2',
			''
		]) {
			expect(isCalendarDay(day), day).toBe(false);
		}
	});
});
