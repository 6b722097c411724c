import { describe, expect, it } from 'vitest';
import { auditCsv } from './audit';

describe('auditCsv', () => {
	it('writes one quoted row per entry, and defuses what a spreadsheet would run', () => {
		const csv = auditCsv([
			{
				at: Date.UTC(2026, 11, 7, 1, 2, 3),
				kind: 'staff.changed',
				deviceId: 'd1',
				staffId: 's1',
				detail: { before: { name: 'A, "B"' }, after: { name: '=1+1' } }
			},
			{ at: 0, kind: '=cmd', deviceId: null, staffId: null, detail: {} }
		]);
		const lines = csv.split('\r\n');
		expect(lines[0]).toBe('at,kind,staffId,deviceId,detail');
		expect(lines[1]).toBe(
			'2026-12-07T01:02:03.000Z,staff.changed,s1,d1,"{""before"":{""name"":""A, \\""B\\""""},""after"":{""name"":""=1+1""}}"'
		);
		expect(lines[2]).toBe("1970-01-01T00:00:00.000Z,'=cmd,,,{}");
		expect(lines[3]).toBe('');
	});
});
