/** The server's catalog database: a 20,000-product CSV import, the full download, one-change refresh. */
import { pathToFileURL } from 'node:url';
import { bundleForNode } from '../scripts/bundle.js';

/** @param {import('./run.js').SuiteContext} context */
export async function run({ emit, progress }) {
	const file = await bundleForNode('catalog-db', 'bench/node/catalog-db.bench.ts');
	/** @type {{ run(options: { products: number; refreshes: number }): Promise<Record<string, unknown>[]> }} */
	const suite = await import(pathToFileURL(file).href);
	progress('catalog-db: import 20,000 products from CSV, download them, refresh after one change');
	for (const figure of await suite.run({ products: 20_000, refreshes: 20 })) emit(figure);
}
