import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testConfigFile } from '../api/test-harness';
import { resolveConfig, type ConfigFile } from '../config';
import { openStore } from '../store';
import type { SqlStore } from '../store/sql-store';
import { seedCatalogOnFirstStart } from './first-start';

let store: SqlStore | undefined;
const dir = mkdtempSync(join(tmpdir(), 'pos-seed-'));

afterEach(async () => {
	await store?.close();
	store = undefined;
});

async function firstStart(overrides: Partial<ConfigFile>) {
	store = await openStore({ dataDir: 'memory://' });
	const config = await resolveConfig(await testConfigFile(overrides), {
		env: {},
		keepSecret: null
	});
	await seedCatalogOnFirstStart(store, config, 1_000);
	return store.catalog.adminView('USD');
}

describe('the catalog at first start', { timeout: 90_000 }, () => {
	it("seeds the demo's in demo mode, once", async () => {
		const view = await firstStart({ demo: true, tax: { defaultRateBp: 825, inclusive: false } });
		expect(view.products.length).toBeGreaterThan(55);
		expect(view.defaultTaxRateId).toBe('rate-825');
		const version = view.version;
		await seedCatalogOnFirstStart(
			store!,
			await resolveConfig(await testConfigFile({ demo: true }), { env: {}, keepSecret: null }),
			2_000
		);
		expect(await store!.catalog.version()).toBe(version);
	});

	it("outside demo mode starts empty but for the config's default tax rate", async () => {
		const view = await firstStart({ tax: { defaultRateBp: 500, inclusive: false } });
		expect(view.products).toEqual([]);
		expect(view.taxRates).toEqual([
			{ id: 'rate-500', name: 'Sales tax 5 %', rateBp: 500, active: true }
		]);
	});

	it('imports the CSV a config names as its seed', async () => {
		const file = join(dir, 'seed.csv');
		writeFileSync(file, 'sku,name,category,price,tax\r\nS-1,"Soup, tomato",Kitchen,6.50,\r\n');
		const view = await firstStart({
			catalogSeed: file,
			tax: { defaultRateBp: 0, inclusive: true }
		});
		expect(view.products.map((p) => [p.sku, p.name, p.price])).toEqual([
			['S-1', 'Soup, tomato', 650]
		]);
		expect(view.categories.map((c) => c.name)).toEqual(['Kitchen']);
		rmSync(dir, { recursive: true, force: true });
	});
});
