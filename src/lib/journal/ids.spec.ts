import { describe, expect, it } from 'vitest';
import { isValidMerchantOrderNo, newId, newMerchantOrderNo } from './ids';

describe('ids', () => {
	it('makes RFC 9562 v4 uuids', () => {
		const id = newId();
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(newId()).not.toBe(id);
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
