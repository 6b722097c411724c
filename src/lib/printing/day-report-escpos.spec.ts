import { describe, expect, it } from 'vitest';
import type { DayTotals } from '$lib/journal/types';
import { dayReportBytes } from './day-report-escpos';
import { escPosText } from './escpos-text';

const totals = {
	day: '2026-12-02',
	orders: 12,
	gross: 15_000,
	tax: 1_100,
	tips: 800,
	cash: 6_000,
	card: 9_800,
	cashPaidOut: 2_000,
	refunds: 300,
	byStatus: {}
} as unknown as DayTotals;

describe('dayReportBytes', () => {
	it('prints the day figures as on the screen, with the cash expected in the drawer, and cuts', () => {
		const bytes = dayReportBytes({
			storeName: 'Demo Coffee Bar',
			totals,
			currency: 'USD',
			paper: '80',
			printedAt: Date.UTC(2026, 11, 2, 22)
		});
		expect([...bytes.slice(0, 2)]).toEqual([0x1b, 0x40]);
		const text = escPosText(bytes);
		expect(text).toContain('Day report 2026-12-02');
		expect(text).toMatch(/Orders +12/);
		expect(text).toMatch(/Card +\$98\.00/);
		expect(text).toMatch(/Cash in drawer +\$40\.00/);
		expect(text.split('\n').find((l) => l.startsWith('Sales'))).toHaveLength(48);
		expect(text.trimEnd().endsWith('[cut]')).toBe(true);
	});
});
