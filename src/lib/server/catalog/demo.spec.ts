import { describe, expect, it } from 'vitest';
import { isValidEan13 } from '$lib/catalog/ean';
import { catalogSchema } from '$lib/catalog/types';
import { demoCatalog, ean13CheckDigit, generateCatalog } from './demo';

describe('demoCatalog', () => {
	const catalog = demoCatalog();

	it('is a valid catalog as the browser parses it', () => {
		expect(catalogSchema.safeParse(catalog).success).toBe(true);
	});

	it('has about 60 products in the six café categories', () => {
		expect(catalog.categories.map((c) => c.name)).toEqual([
			'Coffee',
			'Tea',
			'Bakery',
			'Sandwiches',
			'Drinks',
			'Grocery'
		]);
		expect(catalog.products.length).toBeGreaterThanOrEqual(55);
		expect(catalog.products.length).toBeLessThanOrEqual(70);
	});

	it('gives every product a unique SKU and a unique valid EAN-13', () => {
		const barcodes = catalog.products.map((p) => p.barcode ?? '');
		expect(barcodes.every(isValidEan13)).toBe(true);
		expect(new Set(barcodes).size).toBe(barcodes.length);
		expect(new Set(catalog.products.map((p) => p.sku)).size).toBe(catalog.products.length);
	});

	it('starts Coffee with the documented Espresso barcode', () => {
		expect(catalog.products[0]).toMatchObject({
			name: 'Espresso',
			category: 'coffee',
			barcode: '2010000000014',
			price: 300
		});
		const creme = catalog.products.find((p) => p.barcode === '2030000000043');
		expect(creme?.name).toBe('Crème Brûlée');
	});

	it('prices in integer minor units with sensible tax', () => {
		for (const p of catalog.products) {
			expect(Number.isInteger(p.price) && p.price > 0).toBe(true);
			expect([0, 500, 875]).toContain(p.taxRateBp);
		}
		const inclusive = catalog.products.filter((p) => p.taxInclusive).length;
		expect(inclusive).toBeGreaterThan(0);
		expect(inclusive).toBeLessThan(catalog.products.length / 2);
		expect(catalog.products.find((p) => p.category === 'drinks')?.taxRateBp).toBe(875);
	});

	it('scales prices to the currency minor unit', () => {
		expect(demoCatalog('JPY').products[0]).toMatchObject({ price: 300 });
		expect(demoCatalog('KWD').products[0]).toMatchObject({ price: 3000 });
		expect(demoCatalog('EUR').currency).toBe('EUR');
		expect(() => demoCatalog('usd')).toThrow(/Unknown currency/);
	});
});

describe('ean13CheckDigit (re-exported)', () => {
	it('computes the GS1 example', () => {
		expect(ean13CheckDigit('400638133393')).toBe(1);
	});
});

describe('generateCatalog', () => {
	it('is deterministic per seed', () => {
		expect(generateCatalog(200, 7)).toEqual(generateCatalog(200, 7));
		expect(generateCatalog(200, 7).products).not.toEqual(generateCatalog(200, 8).products);
	});

	it('produces n valid products with unique ids and barcodes', () => {
		const catalog = generateCatalog(20_000, 1);
		expect(catalog.products).toHaveLength(20_000);
		expect(catalogSchema.safeParse(catalog).success).toBe(true);
		expect(new Set(catalog.products.map((p) => p.barcode)).size).toBe(20_000);
		expect(catalog.products.every((p) => isValidEan13(p.barcode ?? ''))).toBe(true);
	});
});
