import { describe, expect, it } from 'vitest';
import { detectBrand } from './card-brand';
import { checkCard, checkExpiry, isChecked } from './card-checks';
import { luhnValid } from './luhn';

const NOW = new Date(Date.UTC(2026, 11, 7));

describe('Luhn', () => {
	it('accepts the networks’ test numbers and refuses one digit changed or swapped', () => {
		for (const pan of ['4111111111111111', '5555555555554444', '378282246310005', '79927398713']) {
			expect(luhnValid(pan)).toBe(true);
		}
		expect(luhnValid('4111111111111112')).toBe(false);
		expect(luhnValid('79927398731')).toBe(false);
		expect(luhnValid('4111 1111')).toBe(false);
		expect(luhnValid('')).toBe(false);
	});
});

describe('brand detection', () => {
	it.each([
		['4111111111111111', 'Visa'],
		['5555555555554444', 'MasterCard'],
		['2221000000000009', 'MasterCard'],
		['2720999999999996', 'MasterCard'],
		['378282246310005', 'Amex'],
		['341111111111111', 'Amex'],
		['6011111111111117', 'Discover'],
		['6445644564456445', 'Discover'],
		['6500000000000002', 'Discover'],
		['3530111333300000', 'JCB'],
		['6200000000000005', 'UnionPay'],
		['8171999927660000', 'UnionPay'],
		['30569309025904', 'Diners'],
		['36227206271667', 'Diners'],
		['3852000002323', 'Diners']
	])('%s is %s', (pan, brand) => {
		expect(detectBrand(pan)?.id).toBe(brand);
	});

	it('knows the brand from the first digits, live, and not outside the ranges', () => {
		expect(detectBrand('4')?.id).toBe('Visa');
		expect(detectBrand('37')?.id).toBe('Amex');
		expect(detectBrand('2221')?.id).toBe('MasterCard');
		expect(detectBrand('2220')).toBeNull();
		expect(detectBrand('2721')).toBeNull();
		expect(detectBrand('3')).toBeNull();
		expect(detectBrand('9999')).toBeNull();
		expect(detectBrand('')).toBeNull();
	});
});

describe('expiry', () => {
	it('reads MM/YY, MMYY and MM/YYYY as MMYY; the current month is still good', () => {
		expect(checkExpiry('12/26', NOW)).toEqual({ expiry: '1226' });
		expect(checkExpiry('0130', NOW)).toEqual({ expiry: '0130' });
		expect(checkExpiry('03/2031', NOW)).toEqual({ expiry: '0331' });
	});
	it('refuses a past month, month 13, nonsense and absurd years', () => {
		expect(checkExpiry('11/26', NOW)).toBe('This card has expired.');
		expect(checkExpiry('13/27', NOW)).toBe('The expiry month is 01 to 12.');
		expect(checkExpiry('00/27', NOW)).toBe('The expiry month is 01 to 12.');
		expect(checkExpiry('1/27', NOW)).toBe('Enter the expiry as MM/YY.');
		expect(checkExpiry('01/2099', NOW)).toBe('The expiry year is too far ahead.');
	});
});

describe('checkCard', () => {
	const good = {
		number: '4111 1111 1111 1111',
		expiry: '12/28',
		cvv: '123',
		holder: ' Ada  Lovelace '
	};

	it('gives the card as the gateway wants it', () => {
		const result = checkCard(good, NOW);
		expect(isChecked(result)).toBe(true);
		expect(result).toMatchObject({ pan: '4111111111111111', expiry: '1228', cvv: '123' });
		expect(result).toMatchObject({ holder: 'Ada Lovelace' });
	});

	it('wants four digits of security code on Amex and three elsewhere', () => {
		const amex = { ...good, number: '3782 822463 10005' };
		expect(checkCard({ ...amex, cvv: '1234' }, NOW)).toMatchObject({ cvv: '1234' });
		expect(checkCard({ ...amex, cvv: '123' }, NOW)).toEqual({
			cvv: 'The security code of this card has 4 digits.'
		});
		expect(checkCard({ ...good, cvv: '1234' }, NOW)).toEqual({
			cvv: 'The security code of this card has 3 digits.'
		});
		expect(checkCard({ ...good, cvv: '12a' }, NOW)).toEqual({
			cvv: 'Enter the security code (digits only).'
		});
	});

	it('says what is wrong with each field', () => {
		expect(checkCard({ number: '4111111111111112', expiry: '', cvv: '', holder: '' }, NOW)).toEqual(
			{
				number: 'The card number is mistyped (its check digit does not match).',
				expiry: 'Enter the expiry as MM/YY.',
				cvv: 'Enter the security code (digits only).',
				holder: 'Enter the name on the card.'
			}
		);
		expect(checkCard({ ...good, number: '41111111111111' }, NOW)).toEqual({
			number: 'A Visa number has 13 or 16 or 19 digits.'
		});
		expect(checkCard({ ...good, number: '9111111111111111' }, NOW)).toEqual({
			number: 'This card number is not a brand the gateway takes.'
		});
		expect(checkCard({ ...good, number: '4111x' }, NOW)).toEqual({
			number: 'The card number has characters other than digits.'
		});
		expect(checkCard({ ...good, holder: 'A\u0000B' }, NOW)).toEqual({
			holder: 'The name has characters a card cannot.'
		});
	});
});
