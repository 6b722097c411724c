import { describe, expect, it } from 'vitest';
import { isValidMerchantOrderNo, newId, newMerchantOrderNo } from './ids';

describe('ids', () => {
	it('makes short ids that sort by their time, unique per call', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 1000; i++) {
			const id = newId(1_741_341_600_000);
			expect(id).toMatch(/^[0-9A-Za-z]{18}$/);
			seen.add(id);
		}
		expect(seen.size).toBe(1000);
		// Fixed width and digits in code-unit order: a later time sorts after, whatever the random part.
		const times = [0, 61, 62, 1_741_341_600_000, 1_741_341_600_001, 62 ** 8 - 1];
		const ids = times.map((time) => newId(time));
		expect([...ids].sort()).toEqual(ids);
		expect(ids[0]!.slice(0, 8)).toBe('00000000');
		expect(ids.at(-1)!.slice(0, 8)).toBe('zzzzzzzz');
		expect(() => newId(62 ** 8)).toThrow(RangeError);
		expect(() => newId(-1)).toThrow(RangeError);
	});

	it('makes merchant order numbers terminals accept, unique per call', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 1000; i++) {
			const no = newMerchantOrderNo('A1', 1_741_341_600_000);
			expect(isValidMerchantOrderNo(no)).toBe(true);
			expect(no.startsWith('A1')).toBe(true);
			seen.add(no);
		}
		expect(seen.size).toBe(1000);
	});

	it('cleans and shortens an unusual prefix', () => {
		const no = newMerchantOrderNo('Shop #7 / Front desk till');
		expect(isValidMerchantOrderNo(no)).toBe(true);
		expect(no.length).toBeLessThanOrEqual(32);
		expect(no.startsWith('Shop7Front')).toBe(true);
	});

	it('rejects what terminals refuse', () => {
		expect(isValidMerchantOrderNo('A1_x-y|z*w@v')).toBe(true);
		expect(isValidMerchantOrderNo('')).toBe(false);
		expect(isValidMerchantOrderNo('a b')).toBe(false);
		expect(isValidMerchantOrderNo('x'.repeat(33))).toBe(false);
		expect(isValidMerchantOrderNo('é')).toBe(false);
	});
});
