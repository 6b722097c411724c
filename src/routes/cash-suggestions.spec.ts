import { describe, expect, it } from 'vitest';
import { cashSuggestions } from './cash-suggestions';

describe('quick-cash buttons', () => {
	it('offers exact, then the notes a customer would hand over', () => {
		expect(cashSuggestions(1234, 'USD')).toEqual([1234, 1300, 1500, 2000, 5000]);
	});
	it('works in a currency without decimals', () => {
		expect(cashSuggestions(780, 'JPY')).toEqual([780, 800, 1000, 2000, 5000]);
	});
	it('does not repeat a round amount', () => {
		expect(cashSuggestions(2000, 'USD')).toEqual([2000, 5000, 10000]);
	});
	it('offers nothing when nothing is due', () => {
		expect(cashSuggestions(0, 'USD')).toEqual([]);
	});
});
