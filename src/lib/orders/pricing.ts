/**
 * Prices a cart or order: pure functions over integer minor units (see `$lib/money`).
 *
 * The rules, in the order they apply:
 * 1. `gross = (unitPrice + the line's modifier prices) × qty` per line.
 * 2. The line discount comes off the line gross: a percent is rounded half away from zero per
 *    line; an amount (and a percent over 100 %) is capped at the line gross.
 * 3. The order discount is an amount, or a percent of the subtotal after line discounts, capped at
 *    that subtotal. It is allocated across the lines in proportion to their after-line-discount
 *    amounts with `allocate` (largest remainder), so the shares sum exactly to the order discount.
 * 4. Tax is computed per line and rounded half away from zero per line, on what is left:
 *    - tax-exclusive: `tax = round(amount × rate)`, `net = amount`, `total = net + tax`;
 *    - tax-inclusive (the price already holds the tax):
 *      `tax = round(amount × rate / (1 + rate))`, `net = amount − tax`, `total = amount`.
 * 5. The order total is the sum of the line totals. No figure is ever negative.
 *
 * Rates and percents are basis points: 1000 bp = 10 %; up to four decimals (8.875 % = 887.5 bp).
 */
import {
	add,
	allocate,
	exponentOf,
	multiply,
	percentOf,
	sub,
	sum,
	taxIncludedIn
} from '$lib/money';

export type Discount = { kind: 'amount'; value: number } | { kind: 'percent'; basisPoints: number };

/** A modifier option chosen on a line ("Oat milk" of the group "Milk"), as it was priced. */
export interface LineModifier {
	groupId: string;
	groupName: string;
	optionId: string;
	name: string;
	/** Minor units added to each unit of the line, ≥ 0. */
	price: number;
}

export interface PricedLineInput {
	id: string;
	productId: string;
	name: string;
	sku: string;
	/** Minor units of the order's currency, ≥ 0. */
	unitPrice: number;
	/** Whole units, ≥ 0. */
	qty: number;
	taxRateBp: number;
	taxInclusive: boolean;
	discount?: Discount | null;
	/** Chosen modifiers; their prices add to `unitPrice`. Absent on lines without any. */
	modifiers?: LineModifier[];
	/** The cashier's note on this line ("no sugar"); printed, never priced. */
	note?: string;
}

export interface PricedLine extends PricedLineInput {
	/** `(unitPrice + modifier prices) × qty`. */
	gross: number;
	lineDiscount: number;
	/** This line's share of the order discount. */
	orderDiscountShare: number;
	/** After discounts, excluding tax. */
	net: number;
	tax: number;
	/** What the customer pays for this line: `net + tax`. */
	total: number;
}

export interface OrderTotals {
	lines: PricedLine[];
	/** Sum of the line grosses, before any discount. */
	subtotal: number;
	/** Every discount: line discounts plus the order discount actually applied. */
	discount: number;
	/** All tax, whether it was included in the prices or added on top. */
	tax: number;
	/** What the customer pays: the sum of the line totals. */
	total: number;
	/**
	 * The total with every tax included, i.e. the same figure as `total` (`net + tax`). Kept for
	 * callers that name it; use `includedTax` / `addedTax` for a receipt's tax breakdown.
	 */
	taxInclusiveTotal: number;
	/** Sum of the line nets: the total excluding tax. */
	net: number;
	/** The part of `tax` already contained in tax-inclusive prices ("incl. VAT"). */
	includedTax: number;
	/** The part of `tax` added on top of tax-exclusive prices. */
	addedTax: number;
}

export class PricingError extends Error {
	readonly code = 'invalid_pricing_input';
	constructor(message: string) {
		super(message);
		this.name = 'PricingError';
	}
}

function requireNonNegativeInteger(value: number, what: string): void {
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new PricingError(`${what} must be a whole, non-negative number, got ${value}`);
	}
}

function requireRate(basisPoints: number, what: string): void {
	if (!Number.isFinite(basisPoints) || basisPoints < 0) {
		throw new PricingError(
			`${what} must be a non-negative number of basis points, got ${basisPoints}`
		);
	}
}

/** The price of one unit of the line: its unit price plus every chosen modifier's. */
export function unitPriceWithModifiers(
	line: Pick<PricedLineInput, 'unitPrice' | 'modifiers' | 'name'>
): number {
	let unit = line.unitPrice;
	for (const modifier of line.modifiers ?? []) {
		requireNonNegativeInteger(
			modifier.price,
			`Line "${line.name}" modifier "${modifier.name}" price`
		);
		unit = add(unit, modifier.price);
	}
	return unit;
}

/** How much `discount` takes off `base`, never more than `base`. */
function discountOn(base: number, discount: Discount | null | undefined, what: string): number {
	if (!discount) return 0;
	if (discount.kind === 'amount') {
		requireNonNegativeInteger(discount.value, `${what} amount`);
		return Math.min(discount.value, base);
	}
	requireRate(discount.basisPoints, `${what} percent`);
	return Math.min(percentOf(base, discount.basisPoints), base);
}

export function priceOrder(
	lines: PricedLineInput[],
	orderDiscount: Discount | null,
	currency: string
): OrderTotals {
	// Amounts are already minor units of `currency`; this only refuses an unknown currency.
	exponentOf(currency);

	const discounted = lines.map((line) => {
		const what = `Line "${line.name}"`;
		requireNonNegativeInteger(line.unitPrice, `${what} unit price`);
		requireNonNegativeInteger(line.qty, `${what} quantity`);
		requireRate(line.taxRateBp, `${what} tax rate`);
		const gross = multiply(unitPriceWithModifiers(line), line.qty);
		const lineDiscount = discountOn(gross, line.discount, `${what} discount`);
		return { line, gross, lineDiscount, afterLineDiscount: gross - lineDiscount };
	});

	const afterLineDiscounts = sum(discounted.map((d) => d.afterLineDiscount));
	const orderDiscountTotal = discountOn(afterLineDiscounts, orderDiscount, 'Order discount');
	const shares =
		discounted.length === 0
			? []
			: allocate(
					orderDiscountTotal,
					discounted.map((d) => d.afterLineDiscount)
				);

	const priced = discounted.map(
		({ line, gross, lineDiscount, afterLineDiscount }, i): PricedLine => {
			const orderDiscountShare = shares[i] ?? 0;
			// A share never exceeds its weight (the discount is capped at the sum of the weights).
			const amount = sub(afterLineDiscount, orderDiscountShare);
			const tax = line.taxInclusive
				? taxIncludedIn(amount, line.taxRateBp)
				: percentOf(amount, line.taxRateBp);
			const net = line.taxInclusive ? sub(amount, tax) : amount;
			return { ...line, gross, lineDiscount, orderDiscountShare, net, tax, total: add(net, tax) };
		}
	);

	const total = sum(priced.map((l) => l.total));
	const includedTax = sum(priced.filter((l) => l.taxInclusive).map((l) => l.tax));
	const addedTax = sum(priced.filter((l) => !l.taxInclusive).map((l) => l.tax));
	return {
		lines: priced,
		subtotal: sum(priced.map((l) => l.gross)),
		discount: sum(priced.map((l) => add(l.lineDiscount, l.orderDiscountShare))),
		tax: add(includedTax, addedTax),
		total,
		taxInclusiveTotal: total,
		net: sum(priced.map((l) => l.net)),
		includedTax,
		addedTax
	};
}
