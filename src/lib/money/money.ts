/**
 * Integer arithmetic on minor units. Every input and every result must be a safe integer
 * (|x| ≤ 2^53 − 1); anything else throws `MoneyError` rather than silently losing a cent to
 * float rounding. Results never carry `-0`.
 *
 * Rates are basis points (1 bp = 0.01 %, 10000 bp = 100 %). A rate may have up to four decimals
 * (8.875 % is 887.5 bp); rate arithmetic is done in BigInt so the only rounding is the one stated.
 */

export type MoneyErrorCode = 'not_safe_integer' | 'overflow' | 'invalid_rate' | 'invalid_argument';

export class MoneyError extends RangeError {
	constructor(
		readonly code: MoneyErrorCode,
		message: string
	) {
		super(message);
		this.name = 'MoneyError';
	}
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const BP_PER_UNIT = 10_000n;
const MAX_RATE_DECIMALS = 4;

function assertMinor(value: number, what: string): void {
	if (!Number.isSafeInteger(value)) {
		throw new MoneyError(
			'not_safe_integer',
			`${what} must be a safe integer number of minor units, got ${String(value)}`
		);
	}
}

/** Turns a result computed in floats back into a checked integer; exact when it is safe. */
function checked(result: number, operation: string): number {
	if (!Number.isSafeInteger(result)) {
		throw new MoneyError('overflow', `${operation} overflows the safe integer range`);
	}
	return result + 0; // `-0 + 0` is `0`
}

function fromBig(result: bigint, operation: string): number {
	if (result > MAX || result < -MAX) {
		throw new MoneyError('overflow', `${operation} overflows the safe integer range`);
	}
	return Number(result) + 0;
}

/**
 * Division rounded half away from zero ("half-up" on magnitudes, the rule cashiers and tax
 * authorities expect): 2.5 → 3, −2.5 → −3, 2.4999 → 2. `denominator` must be positive.
 */
function divRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
	const quotient = numerator / denominator; // truncates toward zero
	const remainder = numerator % denominator; // carries the sign of the numerator
	const twice = remainder < 0n ? -2n * remainder : 2n * remainder;
	if (twice >= denominator) return numerator < 0n ? quotient - 1n : quotient + 1n;
	return quotient;
}

/**
 * A basis-point rate as the exact fraction `numerator / scale` of one basis point. Read from the
 * number's shortest decimal text, which is the value the caller wrote (887.5, not 887.4999…).
 */
function rateOf(basisPoints: number): { numerator: bigint; scale: bigint } {
	const text = String(basisPoints);
	const match = /^(-?\d+)(?:\.(\d+))?$/.exec(text);
	const decimals = match?.[2] ?? '';
	if (!match || decimals.length > MAX_RATE_DECIMALS) {
		throw new MoneyError(
			'invalid_rate',
			`A rate must be a finite number of basis points with at most ${MAX_RATE_DECIMALS} decimals, got ${text}`
		);
	}
	return { numerator: BigInt(match[1] + decimals), scale: 10n ** BigInt(decimals.length) };
}

export function add(a: number, b: number): number {
	assertMinor(a, 'add: first amount');
	assertMinor(b, 'add: second amount');
	// Both operands are safe, so a sum that is safe is also exact.
	return checked(a + b, `add(${a}, ${b})`);
}

export function sub(a: number, b: number): number {
	assertMinor(a, 'sub: first amount');
	assertMinor(b, 'sub: second amount');
	return checked(a - b, `sub(${a}, ${b})`);
}

export function sum(amounts: readonly number[]): number {
	let total = 0;
	for (const amount of amounts) total = add(total, amount);
	return total;
}

/** `minor × qty` for an integer quantity. */
export function multiply(minor: number, qty: number): number {
	assertMinor(minor, 'multiply: amount');
	if (!Number.isSafeInteger(qty)) {
		throw new MoneyError('invalid_argument', `multiply: quantity must be an integer, got ${qty}`);
	}
	// A product whose true value is safe is computed exactly; one that is not rounds to ≥ 2^53.
	return checked(minor * qty, `multiply(${minor}, ${qty})`);
}

/** `basisPoints` of `minor` (1000 bp = 10 %), rounded half away from zero. */
export function percentOf(minor: number, basisPoints: number): number {
	assertMinor(minor, 'percentOf: amount');
	const { numerator, scale } = rateOf(basisPoints);
	const result = divRoundHalfAwayFromZero(BigInt(minor) * numerator, BP_PER_UNIT * scale);
	return fromBig(result, `percentOf(${minor}, ${basisPoints})`);
}

/**
 * The tax contained in a tax-inclusive amount at `basisPoints`:
 * `amount × rate / (1 + rate)`, rounded half away from zero. 20 % VAT in 12.00 is 2.00.
 */
export function taxIncludedIn(amount: number, basisPoints: number): number {
	assertMinor(amount, 'taxIncludedIn: amount');
	const { numerator, scale } = rateOf(basisPoints);
	if (numerator < 0n) {
		throw new MoneyError(
			'invalid_rate',
			`taxIncludedIn: rate must not be negative, got ${basisPoints}`
		);
	}
	const result = divRoundHalfAwayFromZero(
		BigInt(amount) * numerator,
		BP_PER_UNIT * scale + numerator
	);
	return fromBig(result, `taxIncludedIn(${amount}, ${basisPoints})`);
}

/**
 * Splits `total` in proportion to `weights` by the largest-remainder method: each part gets the
 * floor of its exact share, and the units left over go one each to the parts with the largest
 * remainders (ties to the earlier part). The parts sum exactly to `total`, each is within one
 * unit of its exact share, and a zero weight gets 0 — unless every weight is zero, in which case
 * the total is split evenly. A negative total is split as its magnitude, then negated.
 *
 * Weights must be non-negative safe integers (typically minor-unit amounts or quantities):
 * fractional weights would bring float error back into a money split.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
	assertMinor(total, 'allocate: total');
	if (weights.length === 0) {
		throw new MoneyError('invalid_argument', 'allocate: needs at least one weight');
	}
	let weightSum = 0n;
	for (const weight of weights) {
		if (!Number.isSafeInteger(weight) || weight < 0) {
			throw new MoneyError(
				'invalid_argument',
				`allocate: weights must be non-negative safe integers, got ${weight}`
			);
		}
		weightSum += BigInt(weight);
	}
	if (weightSum === 0n) return splitEvenly(total, weights.length);

	const sign = total < 0 ? -1 : 1;
	const magnitude = BigInt(Math.abs(total));
	const parts = weights.map((weight) => {
		const exact = magnitude * BigInt(weight);
		return { floor: exact / weightSum, remainder: exact % weightSum };
	});
	let leftover = magnitude - parts.reduce((acc, part) => acc + part.floor, 0n);
	// Leftover < number of parts with a non-zero remainder, so zero weights never receive a unit.
	const byRemainder = parts
		.map((part, index) => ({ remainder: part.remainder, index }))
		.sort((a, b) =>
			a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1
		);
	for (const { index } of byRemainder) {
		if (leftover === 0n) break;
		const part = parts[index];
		if (part) part.floor += 1n;
		leftover -= 1n;
	}
	return parts.map((part) => sign * Number(part.floor) + 0);
}

/** Splits `total` into `n` parts differing by at most one unit; the larger parts come first. */
export function splitEvenly(total: number, n: number): number[] {
	assertMinor(total, 'splitEvenly: total');
	if (!Number.isSafeInteger(n) || n < 1) {
		throw new MoneyError('invalid_argument', `splitEvenly: n must be a positive integer, got ${n}`);
	}
	const sign = total < 0 ? -1 : 1;
	const magnitude = Math.abs(total);
	const extra = magnitude % n;
	// Exact by construction: the dividend is a multiple of n.
	const base = (magnitude - extra) / n;
	return Array.from({ length: n }, (_, i) => sign * (i < extra ? base + 1 : base) + 0);
}
