import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnknownCurrencyError, toDecimalString } from '$lib/money';
import { PricingError, priceOrder, type Discount, type PricedLineInput } from './pricing';

let nextId = 0;
function line(overrides: Partial<PricedLineInput> = {}): PricedLineInput {
	nextId += 1;
	return {
		id: `line-${nextId}`,
		productId: `product-${nextId}`,
		name: `Item ${nextId}`,
		sku: `SKU-${nextId}`,
		unitPrice: 100,
		qty: 1,
		taxRateBp: 0,
		taxInclusive: false,
		...overrides
	};
}

describe('priceOrder: receipts a cashier can check by hand', () => {
	it('3 × 1.99 at 8.875 % sales tax added on top', () => {
		const totals = priceOrder([line({ unitPrice: 199, qty: 3, taxRateBp: 887.5 })], null, 'USD');
		// 5.97 × 0.08875 = 0.5298375 → 0.53
		expect(totals).toMatchObject({
			subtotal: 597,
			discount: 0,
			tax: 53,
			total: 650,
			net: 597,
			addedTax: 53,
			includedTax: 0,
			taxInclusiveTotal: 650
		});
		expect(totals.lines[0]).toMatchObject({ gross: 597, net: 597, tax: 53, total: 650 });
	});

	it('12.00 including 20 % VAT holds 2.00 of tax', () => {
		const totals = priceOrder(
			[line({ unitPrice: 1200, taxRateBp: 2000, taxInclusive: true })],
			null,
			'GBP'
		);
		expect(totals.lines[0]).toMatchObject({ gross: 1200, net: 1000, tax: 200, total: 1200 });
		expect(totals).toMatchObject({
			total: 1200,
			tax: 200,
			includedTax: 200,
			addedTax: 0,
			net: 1000
		});
	});

	it('keeps the line’s own fields on the priced line', () => {
		const input = line({ id: 'a', productId: 'p', name: 'Latte', sku: 'LAT', unitPrice: 450 });
		const [priced] = priceOrder([input], null, 'USD').lines;
		expect(priced).toMatchObject(input);
	});

	it('rounds a percent line discount half up, per line', () => {
		// 10 % of 1.25 is 0.125 → 0.13 off each line; rounding the order once would give 0.25.
		const totals = priceOrder(
			[
				line({ unitPrice: 125, discount: { kind: 'percent', basisPoints: 1000 } }),
				line({ unitPrice: 125, discount: { kind: 'percent', basisPoints: 1000 } })
			],
			null,
			'USD'
		);
		expect(totals.lines.map((l) => l.lineDiscount)).toEqual([13, 13]);
		expect(totals).toMatchObject({ subtotal: 250, discount: 26, total: 224 });
	});

	it('caps a line discount at the line gross', () => {
		const totals = priceOrder(
			[
				line({ unitPrice: 500, taxRateBp: 1000, discount: { kind: 'amount', value: 800 } }),
				line({ unitPrice: 300, discount: { kind: 'percent', basisPoints: 15000 } }),
				line({ unitPrice: 200 })
			],
			null,
			'USD'
		);
		expect(totals.lines.map((l) => [l.lineDiscount, l.tax, l.total])).toEqual([
			[500, 0, 0],
			[300, 0, 0],
			[0, 0, 200]
		]);
		expect(totals).toMatchObject({ subtotal: 1000, discount: 800, total: 200 });
	});

	it('spreads 1.00 off the order over three 1.00 lines without losing a cent', () => {
		const totals = priceOrder([line(), line(), line()], { kind: 'amount', value: 100 }, 'USD');
		expect(totals.lines.map((l) => l.orderDiscountShare)).toEqual([34, 33, 33]);
		expect(totals).toMatchObject({ subtotal: 300, discount: 100, total: 200 });
	});

	it('takes an order percent off the subtotal after line discounts, in proportion', () => {
		const totals = priceOrder(
			[
				line({ unitPrice: 1000, discount: { kind: 'amount', value: 200 } }),
				line({ unitPrice: 500 })
			],
			{ kind: 'percent', basisPoints: 1000 },
			'USD'
		);
		// 10 % of (8.00 + 5.00) = 1.30, shared 0.80 : 0.50.
		expect(totals.lines.map((l) => l.orderDiscountShare)).toEqual([80, 50]);
		expect(totals.lines.map((l) => l.total)).toEqual([720, 450]);
		expect(totals).toMatchObject({ subtotal: 1500, discount: 330, total: 1170 });
	});

	it('taxes each line after its share of the order discount', () => {
		const totals = priceOrder(
			[
				line({ unitPrice: 1000, taxRateBp: 1000 }), // 10 % added
				line({ unitPrice: 1200, taxRateBp: 2000, taxInclusive: true }) // 20 % included
			],
			{ kind: 'amount', value: 220 },
			'EUR'
		);
		// Shares 1.00 : 1.20; then 9.00 + 0.90 tax, and 10.80 holding 1.80 VAT.
		expect(totals.lines.map((l) => [l.orderDiscountShare, l.net, l.tax, l.total])).toEqual([
			[100, 900, 90, 990],
			[120, 900, 180, 1080]
		]);
		expect(totals).toMatchObject({
			subtotal: 2200,
			discount: 220,
			net: 1800,
			tax: 270,
			addedTax: 90,
			includedTax: 180,
			total: 2070,
			taxInclusiveTotal: 2070
		});
	});

	it('caps an order discount at the subtotal, so nothing goes negative', () => {
		const totals = priceOrder(
			[line({ unitPrice: 500, taxRateBp: 800 })],
			{ kind: 'amount', value: 99_999 },
			'USD'
		);
		expect(totals).toMatchObject({ subtotal: 500, discount: 500, tax: 0, total: 0 });
		const overPercent = priceOrder(
			[line({ unitPrice: 500 })],
			{ kind: 'percent', basisPoints: 20000 },
			'USD'
		);
		expect(overPercent).toMatchObject({ discount: 500, total: 0 });
	});

	it('prices yen with no decimals', () => {
		const totals = priceOrder(
			[
				line({ unitPrice: 398, qty: 3, taxRateBp: 1000 }), // ¥1,194 + 10 % = ¥119.4 → ¥119
				line({ unitPrice: 1100, taxRateBp: 1000, taxInclusive: true }) // ¥1,100 holds ¥100
			],
			null,
			'JPY'
		);
		expect(totals.lines.map((l) => [l.tax, l.total])).toEqual([
			[119, 1313],
			[100, 1100]
		]);
		expect(totals.total).toBe(2413);
		expect(toDecimalString(totals.total, 'JPY')).toBe('2413');
	});

	it('prices an empty cart and a zero-quantity line as zero', () => {
		expect(priceOrder([], { kind: 'percent', basisPoints: 1000 }, 'USD')).toEqual({
			lines: [],
			subtotal: 0,
			discount: 0,
			tax: 0,
			total: 0,
			taxInclusiveTotal: 0,
			net: 0,
			includedTax: 0,
			addedTax: 0
		});
		const totals = priceOrder(
			[line({ qty: 0, taxRateBp: 1000 })],
			{ kind: 'amount', value: 50 },
			'USD'
		);
		expect(totals).toMatchObject({ subtotal: 0, discount: 0, total: 0 });
	});

	it('refuses input it cannot price honestly', () => {
		expect(() => priceOrder([line()], null, 'XYZ')).toThrow(UnknownCurrencyError);
		expect(() => priceOrder([line({ unitPrice: -100 })], null, 'USD')).toThrow(PricingError);
		expect(() => priceOrder([line({ unitPrice: 1.5 })], null, 'USD')).toThrow(/unit price/);
		expect(() => priceOrder([line({ qty: 0.5 })], null, 'USD')).toThrow(/quantity/);
		expect(() => priceOrder([line({ taxRateBp: -1 })], null, 'USD')).toThrow(/tax rate/);
		expect(() =>
			priceOrder([line({ discount: { kind: 'amount', value: -50 } })], null, 'USD')
		).toThrow(PricingError);
		expect(() => priceOrder([line()], { kind: 'percent', basisPoints: -10 }, 'USD')).toThrow(
			/Order discount/
		);
	});
});

const discountArb: fc.Arbitrary<Discount> = fc.oneof(
	fc.record({ kind: fc.constant('amount' as const), value: fc.nat({ max: 200_000 }) }),
	fc.record({
		kind: fc.constant('percent' as const),
		basisPoints: fc.oneof(
			fc.integer({ min: 0, max: 12_000 }),
			fc.nat({ max: 100_000 }).map((n) => n / 10)
		)
	})
);

const lineArb: fc.Arbitrary<PricedLineInput> = fc.record({
	id: fc.uuid(),
	productId: fc.string(),
	name: fc.string(),
	sku: fc.string(),
	unitPrice: fc.nat({ max: 1_000_000 }),
	qty: fc.nat({ max: 50 }),
	// Whole and fractional rates: 8.875 % is 887.5 bp.
	taxRateBp: fc.oneof(
		fc.integer({ min: 0, max: 2500 }),
		fc.nat({ max: 25_000 }).map((n) => n / 10)
	),
	taxInclusive: fc.boolean(),
	discount: fc.option(discountArb)
});

const orderArb = fc.record({
	lines: fc.array(lineArb, { maxLength: 8 }),
	orderDiscount: fc.option(discountArb),
	currency: fc.constantFrom('USD', 'JPY', 'KWD', 'EUR')
});

describe('priceOrder: properties', () => {
	it('adds up: the order total is the sum of the line totals, and so on', () => {
		fc.assert(
			fc.property(orderArb, ({ lines, orderDiscount, currency }) => {
				const t = priceOrder(lines, orderDiscount, currency);
				const total = (pick: (l: (typeof t.lines)[number]) => number) =>
					t.lines.reduce((acc, l) => acc + pick(l), 0);
				expect(t.lines).toHaveLength(lines.length);
				expect(t.total).toBe(total((l) => l.total));
				expect(t.tax).toBe(total((l) => l.tax));
				expect(t.subtotal).toBe(total((l) => l.gross));
				expect(t.net).toBe(total((l) => l.net));
				expect(t.discount).toBe(total((l) => l.lineDiscount + l.orderDiscountShare));
				expect(t.tax).toBe(t.includedTax + t.addedTax);
				expect(t.total).toBe(t.subtotal - t.discount + t.addedTax);
				expect(t.taxInclusiveTotal).toBe(t.total);
				for (const l of t.lines) {
					expect(l.total).toBe(l.net + l.tax);
					const amount = l.gross - l.lineDiscount - l.orderDiscountShare;
					expect(l.taxInclusive ? l.total : l.net).toBe(amount);
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('never goes negative and discounts never exceed what they discount', () => {
		fc.assert(
			fc.property(orderArb, ({ lines, orderDiscount, currency }) => {
				const t = priceOrder(lines, orderDiscount, currency);
				expect(t.discount).toBeLessThanOrEqual(t.subtotal);
				for (const value of [t.subtotal, t.discount, t.tax, t.total, t.net]) {
					expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
				}
				for (const l of t.lines) {
					expect(l.gross).toBe(l.unitPrice * l.qty);
					expect(l.lineDiscount + l.orderDiscountShare).toBeLessThanOrEqual(l.gross);
					for (const value of [l.lineDiscount, l.orderDiscountShare, l.net, l.tax, l.total]) {
						expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
					}
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('allocates the whole order discount, each line within a cent of its proportional share', () => {
		fc.assert(
			fc.property(orderArb, ({ lines, orderDiscount, currency }) => {
				const t = priceOrder(lines, orderDiscount, currency);
				const weights = t.lines.map((l) => l.gross - l.lineDiscount);
				const base = weights.reduce((a, b) => a + b, 0);
				let expected = 0;
				if (orderDiscount?.kind === 'amount') expected = Math.min(orderDiscount.value, base);
				if (orderDiscount?.kind === 'percent') {
					// Reference: base × bp / 10000 rounded half up, via a tenth-of-a-bp integer.
					const tenths = BigInt(Math.round(orderDiscount.basisPoints * 10));
					const rounded = (2n * BigInt(base) * tenths + 100_000n) / 200_000n;
					expected = Math.min(Number(rounded), base);
				}
				const shares = t.lines.map((l) => l.orderDiscountShare);
				expect(shares.reduce((a, b) => a + b, 0)).toBe(expected);
				shares.forEach((share, i) => {
					const exact = base === 0 ? 0 : (expected * (weights[i] ?? 0)) / base;
					expect(Math.abs(share - exact)).toBeLessThan(1 + 1e-9);
				});
			}),
			{ numRuns: 300 }
		);
	});

	it('rounds each line’s tax to the nearest minor unit, halves up', () => {
		fc.assert(
			fc.property(orderArb, ({ lines, orderDiscount, currency }) => {
				for (const l of priceOrder(lines, orderDiscount, currency).lines) {
					const tenths = BigInt(Math.round(l.taxRateBp * 10)); // rate in tenths of a bp
					if (l.taxInclusive) {
						// tax ≈ total × r / (1 + r): |tax·(100000 + tenths) − total·tenths| ≤ half
						const scale = 100_000n + tenths;
						const error = BigInt(l.tax) * scale - BigInt(l.total) * tenths;
						expect(2n * error <= scale && -2n * error < scale).toBe(true);
					} else {
						const error = BigInt(l.tax) * 100_000n - BigInt(l.net) * tenths;
						expect(2n * error <= 100_000n && -2n * error < 100_000n).toBe(true);
					}
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('gives the same figures whatever the currency’s exponent, and formats them', () => {
		fc.assert(
			fc.property(orderArb, ({ lines, orderDiscount }) => {
				const usd = priceOrder(lines, orderDiscount, 'USD');
				const jpy = priceOrder(lines, orderDiscount, 'JPY');
				expect(jpy).toEqual(usd);
				expect(toDecimalString(jpy.total, 'JPY')).toBe(String(jpy.total));
			}),
			{ numRuns: 100 }
		);
	});
});

describe('priceOrder: modifiers', () => {
	const oat = { groupId: 'milk', groupName: 'Milk', optionId: 'oat', name: 'Oat milk', price: 50 };
	const large = { groupId: 'size', groupName: 'Size', optionId: 'large', name: 'Large', price: 90 };

	it('adds the modifier prices to each unit before tax, per line', () => {
		// (4.50 + 0.50 + 0.90) × 2 = 11.80; 8.75 % of it is 1.0325 → 1.03.
		const totals = priceOrder(
			[line({ unitPrice: 450, qty: 2, taxRateBp: 875, modifiers: [oat, large] })],
			null,
			'USD'
		);
		expect(totals.lines[0]).toMatchObject({ gross: 1180, tax: 103, total: 1283 });
		expect(totals).toMatchObject({ subtotal: 1180, tax: 103, total: 1283 });
	});

	it('prices a line without modifiers (an order from before them) as before', () => {
		const old = line({ unitPrice: 450, qty: 2, taxRateBp: 875 });
		const none = line({ unitPrice: 450, qty: 2, taxRateBp: 875, modifiers: [] });
		expect(priceOrder([old], null, 'USD').total).toBe(priceOrder([none], null, 'USD').total);
	});

	it('discounts and taxes the modified price inclusive of tax too', () => {
		const totals = priceOrder(
			[
				line({
					unitPrice: 400,
					taxRateBp: 1000,
					taxInclusive: true,
					modifiers: [oat],
					discount: { kind: 'percent', basisPoints: 1000 },
					note: 'extra hot'
				})
			],
			null,
			'USD'
		);
		// 4.50 gross, 10 % off → 4.05, of which 10/110 is tax: 0.368 → 0.37.
		expect(totals.lines[0]).toMatchObject({ gross: 450, lineDiscount: 45, tax: 37, total: 405 });
		expect(totals.lines[0]?.note).toBe('extra hot');
	});

	it('refuses a negative or fractional modifier price', () => {
		for (const price of [-1, 0.5]) {
			expect(() => priceOrder([line({ modifiers: [{ ...oat, price }] })], null, 'USD')).toThrow(
				PricingError
			);
		}
	});
});
