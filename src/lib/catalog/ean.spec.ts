import { describe, expect, it } from 'vitest';
import { ean13, ean13CheckDigit, isValidEan13 } from './ean';

describe('EAN-13', () => {
	it('computes known check digits', () => {
		// Published examples: GS1's 4006381333931 and the ISBN 978-0-306-40615-7.
		expect(ean13CheckDigit('400638133393')).toBe(1);
		expect(ean13CheckDigit('978030640615')).toBe(7);
		expect(ean13CheckDigit('000000000000')).toBe(0);
		expect(ean13('590123412345')).toBe('5901234123457');
	});

	it('rejects bodies that are not 12 digits', () => {
		expect(() => ean13CheckDigit('12345')).toThrow(RangeError);
		expect(() => ean13CheckDigit('40063813339a')).toThrow(RangeError);
	});

	it('validates full codes', () => {
		expect(isValidEan13('4006381333931')).toBe(true);
		expect(isValidEan13('4006381333932')).toBe(false);
		expect(isValidEan13('400638133393')).toBe(false);
	});

	it('detects every single-digit error', () => {
		const code = '9780306406157';
		for (let i = 0; i < 13; i++) {
			for (let d = 0; d <= 9; d++) {
				if (String(d) === code[i]) continue;
				const changed = code.slice(0, i) + d + code.slice(i + 1);
				expect(isValidEan13(changed)).toBe(false);
			}
		}
	});
});
