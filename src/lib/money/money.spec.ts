import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	MoneyError,
	add,
	allocate,
	multiply,
	percentOf,
	splitEvenly,
	sub,
	sum,
	taxIncludedIn
} from './money';

const MAX = Number.MAX_SAFE_INTEGER;
const safe = fc.maxSafeInteger(); // any safe integer, both signs
const amount = fc.integer({ min: -1e12, max: 1e12 }); // realistic till amounts
// Small amounts and whole-bp or whole-percent rates make exact halves common, so the tie rule is exercised.
const amountOrSmall = fc.oneof(amount, fc.integer({ min: -1000, max: 1000 }));
const rateE4Arb = fc.oneof(
	fc.integer({ min: -1e8, max: 1e8 }),
	fc.integer({ min: -10_000, max: 10_000 }).map((bp) => bp * 1e4),
	fc.integer({ min: -100, max: 100 }).map((percent) => percent * 1e6)
);
const weights = fc.array(fc.nat({ max: 1e9 }), { minLength: 1, maxLength: 12 });

/** Reference: round(n / d) half away from zero in BigInt, d > 0. */
function roundRef(n: bigint, d: bigint): bigint {
	const negative = n < 0n;
	const magnitude = negative ? -n : n;
	const rounded = (2n * magnitude + d) / (2n * d);
	return negative ? -rounded : rounded;
}

describe('add / sub / sum', () => {
	it('adds and subtracts exactly where floats drift', () => {
		expect(add(10, 20)).toBe(30);
		expect(sum([10, 20, 30, -5])).toBe(55);
		expect(sub(MAX, MAX)).toBe(0);
		expect(add(MAX - 1, 1)).toBe(MAX);
		expect(sum([])).toBe(0);
	});

	it('is associative and order-independent, matching a BigInt sum', () => {
		fc.assert(
			fc.property(fc.array(amount, { maxLength: 40 }), (list) => {
				const exact = list.reduce((acc, x) => acc + BigInt(x), 0n);
				expect(BigInt(sum(list))).toBe(exact);
				expect(sum([...list].reverse())).toBe(sum(list));
			})
		);
		fc.assert(
			fc.property(amount, amount, amount, (a, b, c) => {
				expect(add(add(a, b), c)).toBe(add(a, add(b, c)));
				expect(sub(add(a, b), b)).toBe(a);
			})
		);
	});

	it('throws on overflow instead of rounding', () => {
		expect(() => add(MAX, 1)).toThrow(MoneyError);
		expect(() => sub(-MAX, 1)).toThrow(/overflow/);
		expect(() => sum([MAX, 1, -1])).toThrow(MoneyError);
		fc.assert(
			fc.property(safe, safe, (a, b) => {
				const exact = BigInt(a) + BigInt(b);
				const fits = exact <= BigInt(MAX) && exact >= BigInt(-MAX);
				if (fits) expect(add(a, b)).toBe(Number(exact));
				else expect(() => add(a, b)).toThrow(MoneyError);
			})
		);
	});

	it('rejects inputs that are not safe integers', () => {
		for (const bad of [0.1, NaN, Infinity, MAX + 1, 2 ** 60]) {
			expect(() => add(bad, 0)).toThrow(MoneyError);
			expect(() => sub(0, bad)).toThrow(/safe integer/);
		}
		expect(() => sum([1, 0.5])).toThrow(MoneyError);
	});
});

describe('multiply', () => {
	it('multiplies by an integer quantity exactly', () => {
		expect(multiply(199, 3)).toBe(597);
		expect(multiply(-250, 4)).toBe(-1000);
		expect(Object.is(multiply(0, -3), 0)).toBe(true);
	});

	it('throws on overflow and on a fractional quantity', () => {
		expect(() => multiply(2 ** 52, 2)).toThrow(/overflow/);
		expect(() => multiply(199, 1.5)).toThrow(/integer/);
		fc.assert(
			fc.property(safe, fc.integer({ min: -1e6, max: 1e6 }), (minor, qty) => {
				const exact = BigInt(minor) * BigInt(qty);
				if (exact <= BigInt(MAX) && exact >= BigInt(-MAX)) {
					expect(multiply(minor, qty)).toBe(Number(exact));
				} else {
					expect(() => multiply(minor, qty)).toThrow(MoneyError);
				}
			})
		);
	});
});

describe('percentOf', () => {
	it('rounds half away from zero', () => {
		expect(percentOf(597, 887.5)).toBe(53); // 8.875 % of 5.97 = 0.5298375
		expect(percentOf(5, 1000)).toBe(1); // 0.5 → 1
		expect(percentOf(-5, 1000)).toBe(-1); // −0.5 → −1
		expect(percentOf(4, 1000)).toBe(0); // 0.4 → 0
		expect(percentOf(1000, 10000)).toBe(1000);
		expect(percentOf(12345, 0)).toBe(0);
		expect(Object.is(percentOf(-4, 1000), 0)).toBe(true);
	});

	it('matches an exact BigInt reference for rates with up to four decimals', () => {
		fc.assert(
			fc.property(amountOrSmall, rateE4Arb, (minor, rateE4) => {
				const bp = rateE4 / 1e4;
				const expected = roundRef(BigInt(minor) * BigInt(rateE4), 10000n * 10000n);
				expect(BigInt(percentOf(minor, bp))).toBe(expected);
			})
		);
	});

	it('rejects rates it cannot represent exactly, and results that overflow', () => {
		expect(() => percentOf(100, 0.00001)).toThrow(/at most 4 decimals/);
		expect(() => percentOf(100, NaN)).toThrow(MoneyError);
		expect(() => percentOf(100, Infinity)).toThrow(MoneyError);
		expect(() => percentOf(MAX, 20000)).toThrow(/overflow/);
	});
});

describe('taxIncludedIn', () => {
	it('extracts the tax from a tax-inclusive amount', () => {
		expect(taxIncludedIn(1200, 2000)).toBe(200); // 20 % VAT in 12.00
		expect(taxIncludedIn(1000, 500)).toBe(48); // 5 % in 10.00 = 0.476…
		expect(taxIncludedIn(0, 2000)).toBe(0);
		expect(taxIncludedIn(999, 0)).toBe(0);
	});

	it('matches amount × rate / (1 + rate) rounded half away from zero', () => {
		fc.assert(
			fc.property(amount, fc.integer({ min: 0, max: 1e8 }), (minor, rateE4) => {
				const expected = roundRef(BigInt(minor) * BigInt(rateE4), 10000n * 10000n + BigInt(rateE4));
				expect(BigInt(taxIncludedIn(minor, rateE4 / 1e4))).toBe(expected);
			})
		);
	});

	it('rejects a negative rate', () => {
		expect(() => taxIncludedIn(1000, -100)).toThrow(MoneyError);
	});
});

describe('allocate', () => {
	it('splits by the largest remainder, ties to the earlier part', () => {
		expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
		expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
		expect(allocate(150, [1000, 500])).toEqual([100, 50]);
		expect(allocate(10, [3, 0, 7])).toEqual([3, 0, 7]);
		expect(allocate(5, [1, 2])).toEqual([2, 3]); // 1.67 / 3.33: the larger remainder wins
		expect(allocate(1, [0, 0, 5])).toEqual([0, 0, 1]);
		expect(allocate(7, [0, 0, 0])).toEqual([3, 2, 2]);
		expect(allocate(0, [4, 5])).toEqual([0, 0]);
	});

	it('never loses or invents a unit, stays within one unit of the exact share', () => {
		fc.assert(
			fc.property(safe, weights, (total, ws) => {
				const parts = allocate(total, ws);
				expect(parts).toHaveLength(ws.length);
				expect(parts.reduce((acc, x) => acc + BigInt(x), 0n)).toBe(BigInt(total));
				const weightSum = ws.reduce((acc, w) => acc + BigInt(w), 0n);
				parts.forEach((part, i) => {
					expect(Number.isSafeInteger(part)).toBe(true);
					const w = BigInt(ws[i] ?? 0);
					if (weightSum === 0n) return;
					// |part − total·w/W| < 1  ⇔  |part·W − total·w| < W
					const deviation = BigInt(part) * weightSum - BigInt(total) * w;
					expect(deviation < weightSum && deviation > -weightSum).toBe(true);
					if (w === 0n) expect(part).toBe(0);
					if (total >= 0) expect(part).toBeGreaterThanOrEqual(0);
					else expect(part).toBeLessThanOrEqual(0);
				});
			})
		);
	});

	it('splits evenly when every weight is zero', () => {
		fc.assert(
			fc.property(amount, fc.integer({ min: 1, max: 20 }), (total, n) => {
				expect(allocate(total, Array<number>(n).fill(0))).toEqual(splitEvenly(total, n));
			})
		);
	});

	it('rejects no weights, negative or fractional weights', () => {
		expect(() => allocate(100, [])).toThrow(MoneyError);
		expect(() => allocate(100, [1, -1])).toThrow(/non-negative/);
		expect(() => allocate(100, [0.5, 0.5])).toThrow(MoneyError);
		expect(() => allocate(0.5, [1])).toThrow(MoneyError);
	});
});

describe('splitEvenly', () => {
	it('gives the extra units to the first parts', () => {
		expect(splitEvenly(100, 3)).toEqual([34, 33, 33]);
		expect(splitEvenly(-5, 2)).toEqual([-3, -2]);
		expect(splitEvenly(2, 4)).toEqual([1, 1, 0, 0]);
		expect(splitEvenly(MAX, 1)).toEqual([MAX]);
	});

	it('sums exactly and the parts differ by at most one unit', () => {
		fc.assert(
			fc.property(safe, fc.integer({ min: 1, max: 64 }), (total, count) => {
				const parts = splitEvenly(total, count);
				expect(parts).toHaveLength(count);
				expect(parts.reduce((acc, x) => acc + BigInt(x), 0n)).toBe(BigInt(total));
				expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
				for (const part of parts) {
					const deviation = BigInt(part) * BigInt(count) - BigInt(total);
					expect(deviation < BigInt(count) && deviation > -BigInt(count)).toBe(true);
				}
			})
		);
	});

	it('rejects a non-positive or fractional count', () => {
		expect(() => splitEvenly(100, 0)).toThrow(MoneyError);
		expect(() => splitEvenly(100, 2.5)).toThrow(MoneyError);
	});
});
