/**
 * The catalog in the database: seeded once, read by tills as changes since their version (only
 * what changed, deactivations as removals), tax rates as configured, imports written in one go.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyChanges } from '$lib/catalog/apply-changes';
import { catalogChangesSchema } from '$lib/catalog/types';
import type { SqlStore } from '../store/sql-store';
import { testBackends } from '../store/test-stores';
import { StoreConflictError } from '../store/types';
import { commitImport, previewImport } from './csv-import';
import { demoSeed } from './seed';

const TAX = { defaultRateBp: 825, inclusive: false };

describe.each(testBackends)('the catalog on the $name store', (backend) => {
	let store: SqlStore;

	beforeEach(async () => {
		({ store } = await backend.open());
		expect(await store.catalog.seed(demoSeed('USD', TAX), 1_000)).toBe(true);
	}, 180_000);

	afterEach(async () => {
		await store?.close();
	});

	it('is seeded once: a second start keeps what the owner changed', async () => {
		const view = await store.catalog.adminView('USD');
		const latte = view.products.find((p) => p.name === 'Caffè Latte')!;
		await store.catalog.saveProduct({ ...latte, price: 999 }, 2_000);
		expect(await store.catalog.seed(demoSeed('USD', TAX), 3_000)).toBe(false);
		const again = await store.catalog.adminView('USD');
		expect(again.products.find((p) => p.id === latte.id)?.price).toBe(999);
	});

	it('gives a new till everything, with modifiers and tax figures from the configured rates', async () => {
		const full = catalogChangesSchema.parse(await store.catalog.changesSince(0, 'USD'));
		expect(full.full).toBe(true);
		expect(full.products.length).toBeGreaterThan(55);
		expect(full.modifierGroups.map((g) => g.id).sort()).toEqual(['extras', 'milk', 'size']);
		const cappuccino = full.products.find((p) => p.name === 'Cappuccino')!;
		expect(cappuccino.modifierGroups).toEqual(['size', 'milk', 'extras']);
		expect(cappuccino.taxRateBp).toBe(875);
		expect(full.products.find((p) => p.sku === 'GRO-OPEN')?.openPrice).toEqual({
			min: 100,
			max: 50_000
		});
		const view = await store.catalog.adminView('USD');
		expect(view.defaultTaxRateId).toBe('rate-825');
		expect(view.taxRates.find((r) => r.id === 'rate-825')?.name).toBe('Sales tax 8.25 %');
	});

	it('sends a till at the newest version only what changed since, and drops what was taken off', async () => {
		const first = await store.catalog.changesSince(0, 'USD');
		const none = await store.catalog.changesSince(first.version, 'USD');
		expect(none).toMatchObject({ full: false, products: [], categories: [], modifierGroups: [] });
		const view = await store.catalog.adminView('USD');
		const latte = view.products.find((p) => p.name === 'Caffè Latte')!;
		const tea = view.products.find((p) => p.name === 'Earl Grey')!;
		await store.catalog.saveProduct({ ...latte, price: 510 }, 2_000);
		await store.catalog.saveProduct({ ...tea, active: false }, 2_001);
		const delta = await store.catalog.changesSince(first.version, 'USD');
		expect(delta.full).toBe(false);
		expect(delta.products.map((p) => [p.name, p.price])).toEqual([['Caffè Latte', 510]]);
		expect(delta.removed.products).toEqual([tea.id]);
		const till = applyChanges(applyChanges(null, first), delta);
		expect(till.products).toHaveLength(first.products.length - 1);
		expect(till.products.find((p) => p.id === latte.id)?.price).toBe(510);
	});

	it('reprices the products of a rate when the rate or the default changes', async () => {
		const first = await store.catalog.changesSince(0, 'USD');
		const before = await store.catalog.saveTaxRate(
			{ id: 'rate-500', name: 'Food 6 %', rateBp: 600, active: true },
			2_000
		);
		expect(before?.rateBp).toBe(500);
		const delta = await store.catalog.changesSince(first.version, 'USD');
		expect(new Set(delta.products.map((p) => p.taxRateBp))).toEqual(new Set([600]));
		expect(delta.products.length).toBe(first.products.filter((p) => p.taxRateBp === 500).length);

		// Products without a rate of their own follow the default.
		const view = await store.catalog.adminView('USD');
		const latte = view.products.find((p) => p.name === 'Caffè Latte')!;
		await store.catalog.saveProduct({ ...latte, taxRateId: null }, 2_001);
		await store.catalog.setDefaultTaxRate('rate-0', 2_002);
		const after = await store.catalog.changesSince(0, 'USD');
		expect(after.products.find((p) => p.id === latte.id)?.taxRateBp).toBe(0);
	});

	it('refuses a taken SKU, an unknown category and deactivating a rate in use', async () => {
		const view = await store.catalog.adminView('USD');
		const [a, b] = view.products;
		await expect(store.catalog.saveProduct({ ...a!, sku: b!.sku }, 2_000)).rejects.toThrow(
			StoreConflictError
		);
		await expect(store.catalog.saveProduct({ ...a!, category: 'nope' }, 2_000)).rejects.toThrow(
			StoreConflictError
		);
		await expect(
			store.catalog.saveTaxRate({ id: 'rate-500', name: 'Food', rateBp: 500, active: false }, 2_000)
		).rejects.toThrow(StoreConflictError);
		expect((await store.catalog.adminView('USD')).products).toEqual(view.products);
	});

	it('imports a CSV once: the preview writes nothing, the same file again changes nothing', async () => {
		const csv =
			'sku,name,category,price,tax,inclusive,barcodes,active,modifiers\r\n' +
			'NEW-1,"Flat white, oat",Coffee,4.80,Tax 8.75 %,false,2990000000017|NEWCODE,true,size|milk\r\n' +
			'NEW-2,Bad price,Coffee,4.8.0,,false,,true,\r\n' +
			'NEW-3,Soup,Kitchen,6,,false,,true,\r\n';
		const version = await store.catalog.version();
		const preview = await previewImport(store, 'USD', csv);
		expect(preview.errors).toEqual([{ line: 3, reason: expect.stringContaining('price') }]);
		expect(preview.added.map((a) => a.sku)).toEqual(['NEW-1', 'NEW-3']);
		expect(preview.newCategories).toEqual(['Kitchen']);
		expect(preview.counts.removed).toBeGreaterThan(50);
		expect(await store.catalog.version()).toBe(version);

		const done = await commitImport(store, 'USD', csv, preview.previewId, 5_000);
		expect(done.ok).toBe(true);
		const till = await store.catalog.changesSince(0, 'USD');
		expect(till.products.map((p) => p.sku).sort()).toEqual(['NEW-1', 'NEW-3']);
		expect(till.products.find((p) => p.sku === 'NEW-1')).toMatchObject({
			name: 'Flat white, oat',
			price: 480,
			taxRateBp: 875,
			barcodes: ['2990000000017', 'NEWCODE'],
			modifierGroups: ['size', 'milk']
		});

		const again = await previewImport(store, 'USD', csv);
		expect(again.counts).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 2 });
		const second = await commitImport(store, 'USD', csv, again.previewId, 6_000);
		expect(second).toMatchObject({ ok: false, reason: 'nothing' });
		expect(await store.catalog.version()).toBe(done.ok ? done.version : -1);
	});

	it('refuses to confirm a preview the catalog moved on from', async () => {
		const csv = 'sku,name,category,price\nZZ-1,Thing,Coffee,1.00\n';
		const preview = await previewImport(store, 'USD', csv);
		const view = await store.catalog.adminView('USD');
		await store.catalog.saveProduct({ ...view.products[0]!, price: 1 }, 2_000);
		const result = await commitImport(store, 'USD', csv, preview.previewId, 3_000);
		expect(result).toMatchObject({ ok: false, reason: 'stale' });
		expect((await store.catalog.adminView('USD')).products.some((p) => p.sku === 'ZZ-1')).toBe(
			false
		);
	});
});
