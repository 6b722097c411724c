/**
 * Minor units ⇄ text: for people (`formatMoney`), for the wire (`toDecimalString`,
 * `parseDecimal`: terminals send amounts as major-unit strings such as "34.50", NOTES.md §1) and
 * for the till keypad (`parseCashierInput`).
 */
import { exponentOf } from './currency';

export type MoneyParseErrorCode = 'empty' | 'invalid' | 'too_many_decimals' | 'out_of_range';

export class MoneyParseError extends Error {
	constructor(
		readonly code: MoneyParseErrorCode,
		readonly input: string,
		message: string
	) {
		super(message);
		this.name = 'MoneyParseError';
	}
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const formatters = new Map<string, Intl.NumberFormat>();

function assertMinor(minor: number): void {
	if (!Number.isSafeInteger(minor)) {
		throw new RangeError(`Amount must be a safe integer number of minor units, got ${minor}`);
	}
}

/** The amount for people, e.g. "$34.50", "¥1,000", "-0,05 €"; always `exponent` decimals. */
export function formatMoney(minor: number, currency: string, locale?: string): string {
	const key = `${locale ?? ''}|${currency}`;
	let formatter = formatters.get(key);
	if (!formatter) {
		const digits = exponentOf(currency);
		formatter = new Intl.NumberFormat(locale, {
			style: 'currency',
			currency,
			minimumFractionDigits: digits,
			maximumFractionDigits: digits
		});
		formatters.set(key, formatter);
	}
	// A decimal string is formatted exactly; `minor / 100` would be a float.
	return formatter.format(toDecimalString(minor, currency) as Intl.StringNumericLiteral);
}

/** Exact major-unit text with exactly `exponent` decimals: "34.50", "1000" (JPY), "-0.05". */
export function toDecimalString(minor: number, currency: string): string {
	assertMinor(minor);
	const exponent = exponentOf(currency);
	const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
	const sign = minor < 0 ? '-' : '';
	if (exponent === 0) return sign + digits;
	return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

function toMinor(
	input: string,
	negative: boolean,
	whole: string,
	fraction: string,
	currency: string
): number {
	const exponent = exponentOf(currency);
	if (fraction.length > exponent) {
		throw new MoneyParseError(
			'too_many_decimals',
			input,
			exponent === 0
				? `"${input}" has decimals, but ${currency} amounts are whole numbers`
				: `"${input}" has ${fraction.length} decimals, but ${currency} allows at most ${exponent}`
		);
	}
	const magnitude = BigInt((whole || '0') + fraction.padEnd(exponent, '0'));
	if (magnitude > MAX) {
		throw new MoneyParseError('out_of_range', input, `"${input}" is too large an amount`);
	}
	const minor = Number(magnitude);
	return negative ? -minor + 0 : minor;
}

/**
 * Strict wire parser: `-?digits(.digits)?` and nothing else (no spaces, signs other than a leading
 * minus, separators or exponents). Fewer decimals than the currency has are fine ("34.5" → 3450),
 * more are an error, never rounded.
 */
export function parseDecimal(text: string, currency: string): number {
	if (text === '') throw new MoneyParseError('empty', text, 'The amount is empty');
	const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
	if (!match) {
		throw new MoneyParseError('invalid', text, `"${text}" is not a decimal amount like "34.50"`);
	}
	return toMinor(text, match[1] === '-', match[2] ?? '', match[3] ?? '', currency);
}

/**
 * Lenient parser for what a cashier types: surrounding whitespace is ignored, commas are accepted
 * as thousands separators ("1,234.50") but only in groups of three, so a decimal comma ("12,50")
 * is refused rather than read as 1250.00. ".5" and "5." are accepted, and so are extra trailing
 * zeros ("12.500"). A minus sign is refused: amounts entered at the till are never negative.
 */
export function parseCashierInput(text: string, currency: string): number {
	const input = text.trim();
	if (input === '') throw new MoneyParseError('empty', text, 'Enter an amount');
	if (input.startsWith('-')) {
		throw new MoneyParseError('invalid', text, 'An amount entered at the till cannot be negative');
	}
	const match = /^(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/.exec(input);
	if (!match || !/\d/.test(input)) {
		const hint = input.includes(',') ? ' (use "." for decimals; "," only between thousands)' : '';
		throw new MoneyParseError('invalid', text, `"${input}" is not an amount${hint}`);
	}
	const whole = (match[1] ?? '').replaceAll(',', '');
	let fraction = match[2] ?? '';
	const exponent = exponentOf(currency);
	if (fraction.length > exponent && /^0*$/.test(fraction.slice(exponent))) {
		fraction = fraction.slice(0, exponent);
	}
	return toMinor(input, false, whole, fraction, currency);
}
