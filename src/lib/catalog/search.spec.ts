import { describe, expect, it } from 'vitest';
import { demoCatalog, generateCatalog } from '$lib/server/catalog/demo';
import { CatalogIndex } from './search';
import type { Product } from './types';

let n = 0;
function product(name: string, extra: Partial<Product> = {}): Product {
	n += 1;
	return {
		id: `p${n}`,
		sku: `SKU-${n}`,
		name,
		category: 'misc',
		price: 100,
		taxRateBp: 0,
		taxInclusive: false,
		...extra
	};
}

const names = (products: Product[]) => products.map((p) => p.name);

describe('CatalogIndex.search', () => {
	const catalog = [
		product('Chocolate Chip Cookie', { sku: 'BAK-007' }),
		product('Hot Chocolate', { sku: 'DRK-100' }),
		product('Crème Brûlée', { sku: 'BAK-004', barcode: '2030000000043' }),
		product('Cream Cheese Bagel', { sku: 'BAK-010' }),
		product('Chai Latte', { sku: 'TEA-006' }),
		product('Caffè Latte', { sku: 'COF-005', barcode: '2010000000052' }),
		product('Iced Latte', { sku: 'COF-010' }),
		product('Cola 330 ml', { sku: 'CHO-1' }),
		product('Nougat', { sku: 'CRE-1' })
	];
	const index = new CatalogIndex(catalog);

	it('finds names by word prefix regardless of case and diacritics', () => {
		expect(names(index.search('creme'))).toEqual(['Crème Brûlée']);
		expect(names(index.search('BRULEE'))).toEqual(['Crème Brûlée']);
		expect(names(index.search('caffe'))).toEqual(['Caffè Latte']);
		expect(names(index.search('crème'))).toEqual(['Crème Brûlée']);
	});

	it('requires every query word to prefix some name word', () => {
		expect(names(index.search('lat ca'))).toEqual(['Caffè Latte']);
		expect(names(index.search('la ch'))).toEqual(['Chai Latte']);
		expect(index.search('latte cookie')).toEqual([]);
	});

	it('ranks names starting with the query before other word-prefix matches', () => {
		expect(names(index.search('cho'))).toEqual([
			'Chocolate Chip Cookie',
			'Hot Chocolate',
			'Cola 330 ml' // SKU prefix CHO, after name matches
		]);
		expect(names(index.search('latte'))).toEqual(['Caffè Latte', 'Chai Latte', 'Iced Latte']);
	});

	it('puts an exact barcode or SKU first', () => {
		expect(names(index.search('2030000000043'))).toEqual(['Crème Brûlée']);
		expect(names(index.search('cre-1'))[0]).toBe('Nougat');
		// "cre" is a SKU prefix of Nougat (CRE-1) but name prefixes come first.
		expect(names(index.search('cre'))).toEqual(['Cream Cheese Bagel', 'Crème Brûlée', 'Nougat']);
		// SKU prefix matches come in SKU order.
		expect(names(index.search('bak-00'))).toEqual(['Crème Brûlée', 'Chocolate Chip Cookie']);
	});

	it('ranks substring matches last', () => {
		expect(names(index.search('atte'))).toEqual(['Caffè Latte', 'Chai Latte', 'Iced Latte']);
		expect(names(index.search('ol'))).toEqual([
			'Chocolate Chip Cookie',
			'Cola 330 ml',
			'Hot Chocolate'
		]);
		expect(names(index.search('co'))).toEqual([
			'Cola 330 ml', // name starts with the query
			'Chocolate Chip Cookie', // a later word starts with it
			'Caffè Latte', // SKU COF-005
			'Iced Latte', // SKU COF-010
			'Hot Chocolate' // only inside a word
		]);
	});

	it('returns nothing for an empty or blank query', () => {
		expect(index.search('')).toEqual([]);
		expect(index.search('   ')).toEqual([]);
		expect(index.search('--')).toEqual([]);
	});

	it('honours the limit', () => {
		expect(index.search('latte', 2)).toHaveLength(2);
		expect(index.search('latte', 0)).toEqual([]);
	});

	it('looks up barcodes exactly', () => {
		expect(index.byBarcode('2010000000052')?.name).toBe('Caffè Latte');
		expect(index.byBarcode(' 2010000000052 ')?.name).toBe('Caffè Latte');
		expect(index.byBarcode('201000000005')).toBeUndefined();
	});
});

describe('CatalogIndex on the demo catalog', () => {
	const catalog = demoCatalog();
	const index = new CatalogIndex(catalog.products);

	it('groups by category in catalog order', () => {
		const coffee = index.byCategory('coffee');
		expect(coffee[0]?.name).toBe('Espresso');
		expect(coffee.every((p) => p.category === 'coffee')).toBe(true);
		expect(index.byCategory('nope')).toEqual([]);
		const total = catalog.categories.reduce((sum, c) => sum + index.byCategory(c.id).length, 0);
		expect(total).toBe(catalog.products.length);
	});

	it('finds the documented demo barcodes', () => {
		expect(index.byBarcode('2010000000014')?.name).toBe('Espresso');
		expect(index.search('2030000000043')[0]?.name).toBe('Crème Brûlée');
	});

	it('finds products by id', () => {
		expect(index.byId('cof-001')?.sku).toBe('COF-001');
	});
});

describe('CatalogIndex over a generated catalog', () => {
	// Timing lives in `npm run bench` (catalog.keystroke); this keeps the correctness check.
	it('finds a barcode among 20,000 products', () => {
		const { products } = generateCatalog(20_000, 42);
		const index = new CatalogIndex(products);
		const code = products[12_345]?.barcode ?? '';
		expect(code).not.toBe('');
		expect(index.search(code)[0]?.barcode).toBe(code);
	});
});
