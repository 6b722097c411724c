import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, UnknownCurrencyError, exponentOf, isCurrency } from './currency';
import {
	MoneyParseError,
	formatMoney,
	parseCashierInput,
	parseDecimal,
	toDecimalString
} from './format';

const MAX = Number.MAX_SAFE_INTEGER;

function parseError(run: () => unknown): MoneyParseError {
	try {
		run();
	} catch (error) {
		if (error instanceof MoneyParseError) return error;
		throw error;
	}
	throw new Error('expected a MoneyParseError');
}

describe('currency table', () => {
	it('knows the exponents the POS relies on', () => {
		for (const code of ['USD', 'CAD', 'HKD', 'CNY', 'EUR', 'GBP', 'ZAR', 'NAD']) {
			expect(exponentOf(code)).toBe(2);
		}
		expect(exponentOf('JPY')).toBe(0);
		expect(exponentOf('KWD')).toBe(3);
		expect(isCurrency('USD')).toBe(true);
		expect(isCurrency('usd')).toBe(false);
		expect(isCurrency('toString')).toBe(false);
	});

	it('throws a clear error for an unknown currency', () => {
		expect(() => exponentOf('XXY')).toThrow(UnknownCurrencyError);
		expect(() => exponentOf('usd')).toThrow(/Unknown currency "usd".*ISO 4217/);
		expect(() => toDecimalString(100, 'ABC')).toThrow(UnknownCurrencyError);
	});
});

describe('toDecimalString', () => {
	it('writes exactly `exponent` decimals', () => {
		expect(toDecimalString(3450, 'USD')).toBe('34.50');
		expect(toDecimalString(1000, 'JPY')).toBe('1000');
		expect(toDecimalString(1234, 'KWD')).toBe('1.234');
		expect(toDecimalString(-5, 'USD')).toBe('-0.05');
		expect(toDecimalString(0, 'USD')).toBe('0.00');
		expect(toDecimalString(-0, 'EUR')).toBe('0.00');
		expect(toDecimalString(7, 'KWD')).toBe('0.007');
		expect(toDecimalString(MAX, 'USD')).toBe('90071992547409.91');
	});

	it('refuses amounts that are not safe integers', () => {
		expect(() => toDecimalString(34.5, 'USD')).toThrow(RangeError);
		expect(() => toDecimalString(MAX + 1, 'USD')).toThrow(RangeError);
	});
});

describe('parseDecimal', () => {
	it('reads wire amounts', () => {
		expect(parseDecimal('34.50', 'USD')).toBe(3450);
		expect(parseDecimal('34.5', 'USD')).toBe(3450);
		expect(parseDecimal('34', 'USD')).toBe(3400);
		expect(parseDecimal('-0.05', 'USD')).toBe(-5);
		expect(parseDecimal('1000', 'JPY')).toBe(1000);
		expect(parseDecimal('1.234', 'KWD')).toBe(1234);
		expect(parseDecimal('007.50', 'USD')).toBe(750);
		expect(Object.is(parseDecimal('-0.00', 'USD'), 0)).toBe(true);
	});

	it('refuses more decimals than the currency has, never rounding', () => {
		const error = parseError(() => parseDecimal('34.505', 'USD'));
		expect(error.code).toBe('too_many_decimals');
		expect(error.message).toBe('"34.505" has 3 decimals, but USD allows at most 2');
		expect(parseError(() => parseDecimal('34.500', 'USD')).code).toBe('too_many_decimals');
		expect(parseError(() => parseDecimal('1000.0', 'JPY')).message).toMatch(/whole numbers/);
	});

	it('refuses empty input, garbage, signs, separators and exponents', () => {
		expect(parseError(() => parseDecimal('', 'USD')).code).toBe('empty');
		for (const bad of [
			' 1.00',
			'1.00 ',
			'+1.00',
			'1,000.00',
			'1e3',
			'1.5e1',
			'.5',
			'5.',
			'-',
			'0x10',
			'NaN',
			'Infinity',
			'12.3.4',
			'$5',
			'１２'
		]) {
			const error = parseError(() => parseDecimal(bad, 'USD'));
			expect(error.code, bad).toBe('invalid');
			expect(error.input).toBe(bad);
		}
	});

	it('refuses amounts beyond the safe integer range', () => {
		expect(parseDecimal('90071992547409.91', 'USD')).toBe(MAX);
		expect(parseError(() => parseDecimal('90071992547409.92', 'USD')).code).toBe('out_of_range');
		expect(parseError(() => parseDecimal('1' + '0'.repeat(30), 'JPY')).code).toBe('out_of_range');
	});

	it('round-trips every safe integer in every currency', () => {
		fc.assert(
			fc.property(fc.maxSafeInteger(), fc.constantFrom(...CURRENCY_CODES), (minor, currency) => {
				expect(parseDecimal(toDecimalString(minor, currency), currency)).toBe(minor);
			}),
			{ numRuns: 2000 }
		);
	});

	it('reads any decimal text with few enough decimals as its exact value', () => {
		fc.assert(
			fc.property(
				fc.bigInt({ min: 0n, max: 10n ** 12n }),
				fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 3 }),
				fc.constantFrom('USD', 'JPY', 'KWD'),
				(whole, fraction, currency) => {
					const exponent = exponentOf(currency);
					const text = fraction ? `${whole}.${fraction}` : `${whole}`;
					if (fraction.length > exponent) {
						expect(parseError(() => parseDecimal(text, currency)).code).toBe('too_many_decimals');
					} else {
						const expected =
							whole * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
						expect(BigInt(parseDecimal(text, currency))).toBe(expected);
					}
				}
			)
		);
	});
});

describe('parseCashierInput', () => {
	it('accepts what a cashier types on a keypad', () => {
		expect(parseCashierInput('  12.5 ', 'USD')).toBe(1250);
		expect(parseCashierInput('1,234.56', 'USD')).toBe(123456);
		expect(parseCashierInput('1,234,567', 'JPY')).toBe(1234567);
		expect(parseCashierInput('.5', 'USD')).toBe(50);
		expect(parseCashierInput('5.', 'USD')).toBe(500);
		expect(parseCashierInput('12.500', 'USD')).toBe(1250);
		expect(parseCashierInput('1000.00', 'JPY')).toBe(1000);
		expect(parseCashierInput('0.125', 'KWD')).toBe(125);
	});

	it('refuses a decimal comma rather than reading 12,50 as 1250.00', () => {
		const error = parseError(() => parseCashierInput('12,50', 'EUR'));
		expect(error.code).toBe('invalid');
		expect(error.message).toMatch(/use "\." for decimals/);
		expect(parseError(() => parseCashierInput('1,2345', 'USD')).code).toBe('invalid');
		expect(parseError(() => parseCashierInput(',123', 'USD')).code).toBe('invalid');
	});

	it('refuses empty, negative, over-precise and garbage input', () => {
		expect(parseError(() => parseCashierInput('   ', 'USD')).code).toBe('empty');
		expect(parseError(() => parseCashierInput('-5', 'USD')).message).toMatch(/negative/);
		expect(parseError(() => parseCashierInput('12.345', 'USD')).code).toBe('too_many_decimals');
		expect(parseError(() => parseCashierInput('12.5', 'JPY')).code).toBe('too_many_decimals');
		for (const bad of ['.', 'abc', '1e3', '12 000', '$12']) {
			expect(parseError(() => parseCashierInput(bad, 'USD')).code, bad).toBe('invalid');
		}
	});

	it('reads every amount formatted with thousands separators back', () => {
		fc.assert(
			fc.property(
				fc.nat({ max: 1e14 }),
				fc.constantFrom('USD', 'JPY', 'KWD'),
				(minor, currency) => {
					const [whole = '', fraction] = toDecimalString(minor, currency).split('.');
					const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
					const text = fraction === undefined ? grouped : `${grouped}.${fraction}`;
					expect(parseCashierInput(text, currency)).toBe(minor);
				}
			)
		);
	});
});

describe('formatMoney', () => {
	it('formats with the currency’s own number of decimals', () => {
		expect(formatMoney(3450, 'USD', 'en-US')).toBe('$34.50');
		expect(formatMoney(1000, 'JPY', 'en-US')).toBe('¥1,000');
		expect(formatMoney(1234, 'KWD', 'en-US')).toBe('KWD\u00a01.234');
		expect(formatMoney(-5, 'EUR', 'de-DE')).toBe('-0,05\u00a0€');
		expect(formatMoney(0, 'GBP', 'en-GB')).toBe('£0.00');
	});

	it('formats large amounts exactly, not through a float division', () => {
		expect(formatMoney(MAX, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
		expect(formatMoney(123456789012345, 'USD', 'en-US')).toBe('$1,234,567,890,123.45');
	});

	it('throws for an unknown currency', () => {
		expect(() => formatMoney(100, 'XYZ', 'en-US')).toThrow(UnknownCurrencyError);
	});
});
