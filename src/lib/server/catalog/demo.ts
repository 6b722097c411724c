import { ean13 } from '$lib/catalog/ean';
import { exponentOf } from '$lib/money/currency';
import type { Catalog, Category, Product } from '$lib/catalog/types';

export { ean13CheckDigit } from '$lib/catalog/ean';

/*
 * Barcodes to try with a scanner (or typed into the search) in the demo catalog:
 *   2010000000014  Espresso        (COF-001, first product in Coffee)
 *   2030000000043  Crème Brûlée    (BAK-004)
 * They are EAN-13 in the GS1 prefix 20–29 range, reserved for in-store numbering, so they can
 * never clash with a real product's code. Body: '2', category number (2 digits), '0000', item
 * number (5 digits); the 13th digit is the check digit.
 */

type Tax = { taxRateBp: number; taxInclusive: boolean };

const DRINK: Tax = { taxRateBp: 875, taxInclusive: false };
const FOOD: Tax = { taxRateBp: 500, taxInclusive: false };
const STAPLE: Tax = { taxRateBp: 0, taxInclusive: true };
const GOODS: Tax = { taxRateBp: 875, taxInclusive: true };

/** [name, price in cents, tax] */
type Item = [string, number, Tax?];

interface Section {
	id: string;
	name: string;
	sku: string;
	color: string;
	tax: Tax;
	items: Item[];
}

const SECTIONS: Section[] = [
	{
		id: 'coffee',
		name: 'Coffee',
		sku: 'COF',
		color: '#8d5b3e',
		tax: DRINK,
		items: [
			['Espresso', 300],
			['Double Espresso', 380],
			['Americano', 350],
			['Cappuccino', 450],
			['Caffè Latte', 475],
			['Flat White', 460],
			['Café Mocha', 495],
			['Macchiato', 390],
			['Cortado', 420],
			['Iced Latte', 500],
			['Cold Brew', 450]
		]
	},
	{
		id: 'tea',
		name: 'Tea',
		sku: 'TEA',
		color: '#5f8f4e',
		tax: DRINK,
		items: [
			['English Breakfast Tea', 300],
			['Earl Grey', 300],
			['Sencha Green Tea', 320],
			['Chamomile Tea', 320],
			['Peppermint Tea', 300],
			['Chai Latte', 450],
			['Matcha Latte', 520],
			['Iced Peach Tea', 380],
			['Rooibos Tea', 320],
			['Jasmine Pearl Tea', 360]
		]
	},
	{
		id: 'bakery',
		name: 'Bakery',
		sku: 'BAK',
		color: '#d49a3a',
		tax: FOOD,
		items: [
			['Butter Croissant', 325],
			['Pain au Chocolat', 375],
			['Almond Croissant', 425],
			['Crème Brûlée', 550],
			['Blueberry Muffin', 350],
			['Cinnamon Roll', 395],
			['Chocolate Chip Cookie', 250],
			['Banana Bread Slice', 325],
			['Lemon Drizzle Cake', 375],
			['Bagel with Cream Cheese', 395]
		]
	},
	{
		id: 'sandwiches',
		name: 'Sandwiches',
		sku: 'SAN',
		color: '#c0583f',
		tax: FOOD,
		items: [
			['Ham & Cheese Baguette', 750],
			['Turkey Club', 895],
			['Caprese Panini', 825],
			['Tuna Melt', 795],
			['Chicken Caesar Wrap', 850],
			['Egg & Cress Sandwich', 650],
			['BLT', 795],
			['Falafel & Hummus Wrap', 795],
			['Smoked Salmon Bagel', 950],
			['Jalapeño Chicken Toastie', 875]
		]
	},
	{
		id: 'drinks',
		name: 'Drinks',
		sku: 'DRK',
		color: '#3a7bbf',
		tax: DRINK,
		items: [
			['Still Water 500 ml', 175],
			['Sparkling Water 500 ml', 195],
			['Orange Juice 330 ml', 350],
			['Apple Juice 330 ml', 325],
			['Cola 330 ml', 225],
			['Diet Cola 330 ml', 225],
			['Lemonade', 275],
			['Iced Tea Lemon', 250],
			['Energy Drink 250 ml', 325],
			['Ginger Kombucha', 395]
		]
	},
	{
		id: 'grocery',
		name: 'Grocery',
		sku: 'GRO',
		color: '#7a6aa8',
		tax: STAPLE,
		items: [
			['Whole Milk 1 L', 199],
			['Oat Milk 1 L', 299],
			['Free-Range Eggs (6)', 399],
			['Sourdough Loaf', 549],
			['Ground Coffee 250 g', 899],
			['Wildflower Honey 340 g', 749],
			['Dark Chocolate 100 g', 299, GOODS],
			['Sea Salt Crisps 150 g', 249, GOODS],
			['AA Batteries (4)', 699, GOODS],
			['Paper Napkins (100)', 299, GOODS]
		]
	}
];

/**
 * The demo café/convenience catalog. Prices are written in hundredths of the currency and
 * scaled to its minor unit: 3.50 is 350 cents, 3500 fils (3 decimals), or ¥350 for a currency
 * without decimals (not converted: a plausible price, not an exchange rate).
 */
export function demoCatalog(currency = 'USD'): Catalog {
	const scale = priceScale(currency);
	const categories: Category[] = SECTIONS.map(({ id, name }) => ({ id, name }));
	const products: Product[] = SECTIONS.flatMap((section, s) =>
		section.items.map(([name, cents, tax = section.tax], i) => {
			const sku = `${section.sku}-${String(i + 1).padStart(3, '0')}`;
			return {
				id: sku.toLowerCase(),
				sku,
				barcode: ean13(`2${pad(s + 1, 2)}0000${pad(i + 1, 5)}`),
				name,
				category: section.id,
				price: cents * scale,
				...tax,
				color: section.color
			};
		})
	);
	return { currency, categories, products };
}

const ADJECTIVES = [
	'Organic',
	'Classic',
	'Spicy',
	'Smoked',
	'Crème',
	'Café',
	'Golden',
	'Wild',
	'Fresh',
	'Roasted',
	'Sweet',
	'Crispy',
	'Jalapeño',
	'Brûlée',
	'Herbal',
	'Double'
];
const NOUNS = [
	'Latte',
	'Croissant',
	'Muffin',
	'Bagel',
	'Panini',
	'Wrap',
	'Soda',
	'Juice',
	'Tea',
	'Cookie',
	'Crisps',
	'Honey',
	'Salad',
	'Granola',
	'Yoghurt',
	'Brownie',
	'Smoothie',
	'Noodles',
	'Crackers',
	'Olives'
];
const SIZES = [
	'',
	'',
	'150 g',
	'250 g',
	'330 ml',
	'500 ml',
	'1 L',
	'Large',
	'Small',
	'Family Pack'
];

/**
 * `n` deterministic products (same `seed`, same catalog) over the demo categories, for
 * benchmarks of the search and the product grid. Barcodes are valid EAN-13 in the 29… range.
 */
export function generateCatalog(n: number, seed = 1, currency = 'USD'): Catalog {
	const random = mulberry32(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
	const scale = priceScale(currency);
	const categories: Category[] = SECTIONS.map(({ id, name }) => ({ id, name }));
	const products: Product[] = [];
	for (let i = 1; i <= n; i++) {
		const section = pick(SECTIONS);
		const name = [pick(ADJECTIVES), pick(ADJECTIVES), pick(NOUNS), pick(SIZES)]
			.filter(Boolean)
			.join(' ');
		const sku = `GEN-${pad(i, 6)}`;
		products.push({
			id: sku.toLowerCase(),
			sku,
			barcode: ean13(`29${pad(i, 10)}`),
			name,
			category: section.id,
			price: (50 + Math.floor(random() * 4951)) * scale,
			...section.tax,
			color: section.color
		});
	}
	return { currency, categories, products };
}

/** Multiplier from hundredths of a currency unit to its minor unit. */
function priceScale(currency: string): number {
	const exponent = exponentOf(currency);
	return exponent > 2 ? 10 ** (exponent - 2) : 1;
}

function pad(value: number, width: number): string {
	return String(value).padStart(width, '0');
}

/** A small, well-known seeded PRNG (Tommy Ettinger's Mulberry32). */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
