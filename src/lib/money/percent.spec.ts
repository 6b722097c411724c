import { describe, expect, it } from 'vitest';
import { basisPoints } from './percent';

describe('basisPoints', () => {
	it('reads a percent with a dot or a comma, with or without the sign', () => {
		expect(basisPoints('8.25')).toBe(825);
		expect(basisPoints('8,5 %')).toBe(850);
		expect(basisPoints(' 0 ')).toBe(0);
		expect(basisPoints('100')).toBe(10_000);
	});

	it('refuses what is not a rate', () => {
		for (const text of ['', 'abc', '8.255', '-1', '101', '1e2']) {
			expect(() => basisPoints(text), text).toThrow();
		}
	});
});
