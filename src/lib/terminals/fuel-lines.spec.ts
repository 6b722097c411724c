import { describe, expect, it } from 'vitest';
import { checkFuelLines as checkForecourt, litres } from './fuel-lines';

describe('litres', () => {
	it('turns what the cashier types into the wire’s three decimals', () => {
		expect(litres('32.45')).toBe('32.450');
		expect(litres('2')).toBe('2.000');
		expect(litres('2,1')).toBe('2.100');
		expect(litres(' 0.005 ')).toBe('0.005');
	});

	it('refuses what is not a quantity of litres', () => {
		for (const text of ['', 'abc', '1.0005', '-1', '1e3', '1.2.3']) {
			expect(litres(text), text).toBeUndefined();
		}
	});
});

describe('checkForecourt', () => {
	const line = { code: 'D50', quantity: '2.100', amount: 341 };

	it('accepts lines that add up to the order amount', () => {
		expect(checkForecourt([line], 341, 'USD')).toBeUndefined();
		expect(
			checkForecourt([line, { code: 'U95', quantity: '1.000', amount: 159 }], 500, 'USD')
		).toBeUndefined();
	});

	it('says what is wrong, in the cashier’s terms', () => {
		expect(checkForecourt([line], 400, 'USD')).toBe(
			'Fuel lines add up to 3.41 USD but the order is 4.00 USD'
		);
		expect(checkForecourt([], 0, 'USD')).toBe('Fuel data needs at least one line');
		expect(checkForecourt([{ ...line, quantity: '2.1' }], 341, 'USD')).toMatch(/three decimals/);
		expect(checkForecourt([{ ...line, code: ' ' }], 341, 'USD')).toMatch(/product code/);
	});
});
