/**
 * What a first start writes into an empty catalog: the demo's (in demo mode, or when the config
 * says `"catalogSeed": "demo"`), with a few modifier groups and an open-price item, and the
 * config's `tax` block as the store's default rate.
 */
import { exponentOf } from '$lib/money/currency';
import type { Catalog } from '$lib/catalog/types';
import type {
	CatalogSeed,
	StoredModifierGroup,
	StoredProduct,
	TaxRate
} from '$lib/catalog/admin-model';
import { demoCatalog } from './demo';
import { percentText } from './tax-names';

export interface TaxSeed {
	defaultRateBp: number;
	inclusive: boolean;
}

const rateId = (bp: number) => `rate-${bp}`;

/** The default rate a config's `tax` block makes ("Sales tax 8.25 %"), if it has one. */
export function defaultRateOf(tax: TaxSeed | undefined): TaxRate | null {
	if (!tax) return null;
	const name = tax.defaultRateBp === 0 ? 'Zero' : `Sales tax ${percentText(tax.defaultRateBp)}`;
	return { id: rateId(tax.defaultRateBp), name, rateBp: tax.defaultRateBp, active: true };
}

/** A seed with tax rates only: a real shop's first start without a catalog. */
export function taxOnlySeed(tax: TaxSeed | undefined): CatalogSeed {
	const rate = defaultRateOf(tax);
	return {
		taxRates: rate ? [rate] : [],
		defaultTaxRateId: rate?.id ?? null,
		categories: [],
		modifierGroups: [],
		products: []
	};
}

/** Sizes on these drinks are required: tapping one asks. Milk and extras are optional. */
const SIZED = new Set(['Americano', 'Cappuccino', 'Flat White', 'Iced Latte', 'Cold Brew']);
const MILKY = new Set([
	'Cappuccino',
	'Caffè Latte',
	'Flat White',
	'Café Mocha',
	'Macchiato',
	'Cortado',
	'Iced Latte',
	'Chai Latte',
	'Matcha Latte'
]);

function demoGroups(scale: number): StoredModifierGroup[] {
	const o = (id: string, name: string, cents: number) => ({ id, name, price: cents * scale });
	return [
		{
			id: 'size',
			name: 'Size',
			min: 1,
			max: 1,
			options: [o('small', 'Small', 0), o('medium', 'Medium', 50), o('large', 'Large', 90)],
			active: true
		},
		{
			id: 'milk',
			name: 'Milk',
			min: 0,
			max: 1,
			options: [o('whole', 'Whole milk', 0), o('oat', 'Oat milk', 50), o('soy', 'Soy milk', 40)],
			active: true
		},
		{
			id: 'extras',
			name: 'Extras',
			min: 0,
			max: 3,
			options: [
				o('shot', 'Extra shot', 75),
				o('vanilla', 'Vanilla syrup', 50),
				o('caramel', 'Caramel syrup', 50)
			],
			active: true
		}
	];
}

/** The demo catalog as a seed: its rates named, its coffees with modifiers, one open item. */
export function demoSeed(currency: string, tax: TaxSeed | undefined): CatalogSeed {
	const catalog: Catalog = demoCatalog(currency);
	const scale = 10 ** Math.max(0, exponentOf(currency) - 2);
	const fallback = defaultRateOf(tax);
	const rates = new Map<string, TaxRate>();
	if (fallback) rates.set(fallback.id, fallback);
	for (const { taxRateBp } of catalog.products) {
		const id = rateId(taxRateBp);
		if (!rates.has(id)) {
			const name = taxRateBp === 0 ? 'Zero' : `Tax ${percentText(taxRateBp)}`;
			rates.set(id, { id, name, rateBp: taxRateBp, active: true });
		}
	}
	const products: StoredProduct[] = catalog.products.map((p) => ({
		id: p.id,
		sku: p.sku,
		name: p.name,
		category: p.category,
		price: p.price,
		taxRateId: fallback && p.taxRateBp === fallback.rateBp ? null : rateId(p.taxRateBp),
		taxInclusive: p.taxInclusive,
		barcodes: p.barcode ? [p.barcode] : [],
		modifierGroups: [
			...(SIZED.has(p.name) ? ['size'] : []),
			...(MILKY.has(p.name) ? ['milk'] : []),
			...(p.category === 'coffee' ? ['extras'] : [])
		],
		openPrice: null,
		image: null,
		color: null,
		active: true
	}));
	products.push({
		id: 'gro-open',
		sku: 'GRO-OPEN',
		name: 'Open grocery item',
		category: 'grocery',
		price: 100 * scale,
		taxRateId: rateId(0),
		taxInclusive: true,
		barcodes: [],
		modifierGroups: [],
		openPrice: { min: 100 * scale, max: 50_000 * scale },
		image: null,
		color: null,
		active: true
	});
	const colors = new Map(catalog.products.map((p) => [p.category, p.color ?? null]));
	return {
		taxRates: [...rates.values()],
		defaultTaxRateId: fallback?.id ?? rateId(catalog.products[0]?.taxRateBp ?? 0),
		categories: catalog.categories.map((c, i) => ({
			id: c.id,
			name: c.name,
			color: colors.get(c.id) ?? null,
			order: (i + 1) * 10,
			active: true
		})),
		modifierGroups: demoGroups(scale),
		products
	};
}
