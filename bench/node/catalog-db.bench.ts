/**
 * The catalog in the server's database (issue 13), on an in-memory PGlite in this process:
 * - a 20,000-product CSV imported (preview, then confirm: one transaction);
 * - the full catalog download for 20,000 products (JSON, gzip and brotli bytes);
 * - a till's refresh after one product changed: what the server builds and sends (bytes, ms).
 * Server-side only, no network between. Bundled for Node; `bench/catalog-db.js` calls `run`.
 */
import { toCsv } from '$lib/catalog/csv';
import { toDecimalString } from '$lib/money/format';
import { commitImport, previewImport } from '$lib/server/catalog/csv-import';
import { generateCatalog } from '$lib/server/catalog/demo';
import { taxOnlySeed } from '$lib/server/catalog/seed';
import { compressedJson } from '$lib/server/compressed-json';
import { openStore } from '$lib/server/store';
import { median, ms, timed, type Figure } from '../stats';

const request = (encoding: string) =>
	new Request('http://pos.test/api/catalog', { headers: { 'accept-encoding': encoding } });

async function sent(body: unknown, encoding: string): Promise<number> {
	return (await (await compressedJson(request(encoding), body)).arrayBuffer()).byteLength;
}

export async function run(options: { products: number; refreshes: number }): Promise<Figure[]> {
	const store = await openStore({ dataDir: 'memory://' });
	try {
		await store.catalog.seed(taxOnlySeed({ defaultRateBp: 825, inclusive: false }), 1);
		const generated = generateCatalog(options.products, 7);
		const names = new Map(generated.categories.map((c) => [c.id, c.name]));
		const csv = toCsv([
			['sku', 'name', 'category', 'price', 'tax', 'inclusive', 'barcodes', 'active'],
			...generated.products.map((p) => [
				p.sku,
				p.name,
				names.get(p.category) ?? p.category,
				toDecimalString(p.price, 'USD'),
				'',
				String(p.taxInclusive),
				p.barcode ?? '',
				'true'
			])
		]);

		let previewId = '';
		const previewMs = await timed(async () => {
			previewId = (await previewImport(store, 'USD', csv)).previewId;
		});
		let added = 0;
		const commitMs = await timed(async () => {
			const result = await commitImport(store, 'USD', csv, previewId, 2);
			added = result.ok ? result.preview.counts.added : 0;
		});
		const againMs = await timed(async () => {
			const again = await previewImport(store, 'USD', csv);
			if (again.counts.added + again.counts.changed + again.counts.removed !== 0) {
				throw new Error('the same file imported twice changed something');
			}
		});
		const importSeconds = (previewMs + commitMs) / 1000;

		let full: unknown = null;
		const downloadMs = await timed(async () => {
			full = await store.catalog.changesSince(0, 'USD');
		});
		const json = Buffer.byteLength(JSON.stringify(full));
		const gzip = await sent(full, 'gzip');
		const brMs = await timed(async () => void (await sent(full, 'br')));
		const br = await sent(full, 'br');

		// One product changes, the till asks for what changed since its version.
		const refreshMs: number[] = [];
		let refreshBytes = 0;
		let refreshProducts = 0;
		for (let i = 0; i < options.refreshes; i++) {
			const since = await store.catalog.version();
			const view = await store.catalog.adminView('USD');
			const product = view.products[i % view.products.length]!;
			await store.catalog.saveProduct({ ...product, price: product.price + 1 }, 10 + i);
			refreshMs.push(
				await timed(async () => {
					const changes = await store.catalog.changesSince(since, 'USD');
					refreshProducts = changes.products.length;
					refreshBytes = await sent(changes, 'br, gzip');
				})
			);
		}
		return [
			{
				bench: 'catalog-import-csv',
				products: added,
				csvBytes: Buffer.byteLength(csv),
				previewMs: ms(previewMs),
				commitMs: ms(commitMs),
				seconds: Math.round(importSeconds * 100) / 100,
				sameFileAgainMs: ms(againMs),
				target: '20,000 products in seconds (< 10 s)',
				ok: added === options.products && importSeconds < 10
			},
			{
				bench: 'catalog-download-full',
				products: options.products,
				jsonBytes: json,
				gzipBytes: gzip,
				brBytes: br,
				readMs: ms(downloadMs),
				brotliMs: ms(brMs),
				target: 'compressed (< 1/4 of the JSON)',
				ok: br < json / 4 && gzip < json / 4
			},
			{
				bench: 'catalog-refresh-one-change',
				catalogProducts: options.products,
				productsSent: refreshProducts,
				bytesSent: refreshBytes,
				medianMs: ms(median(refreshMs)),
				target: 'only the changed product (1), under 2 KB',
				ok: refreshProducts === 1 && refreshBytes < 2048
			}
		];
	} finally {
		await store.close();
	}
}
