/**
 * Product search per keystroke over a 20,000-product catalog, in the browser: every prefix of a
 * set of queries a cashier types (words, two words, a scanned-then-typed barcode, a SKU, misses).
 */
import { CatalogIndex } from '$lib/catalog/search';
import { generateCatalog } from '$lib/server/catalog/demo';
import { ms, percentile, timed, type Figure } from '../stats';

const QUERIES = [
	'crème',
	'latte large',
	'jalapeno',
	'ro',
	'org cr',
	'xyz',
	'smoothie 500',
	'espresso',
	'family pack',
	'choc chip cookie',
	'gen-0123',
	'GEN-019999'
];

export async function search(size: number, rounds: number): Promise<Figure> {
	const { products } = generateCatalog(size, 42);
	let index: CatalogIndex | undefined;
	const buildMs = await timed(async () => {
		index = new CatalogIndex(products);
	});
	if (!index) throw new Error('no index');
	const code = products[12_345 % size]?.barcode ?? '';
	const queries = [...QUERIES, code];
	const samples: number[] = [];
	// Round 0 warms the JIT up and is not counted.
	for (let round = 0; round <= rounds; round++) {
		for (const query of queries) {
			for (let i = 1; i <= query.length; i++) {
				const start = performance.now();
				index.search(query.slice(0, i));
				if (round > 0) samples.push(performance.now() - start);
			}
		}
	}
	const found = index.search(code)[0]?.barcode === code;
	const p95 = percentile(samples, 95);
	return {
		bench: 'catalog.keystroke',
		p50_ms: ms(percentile(samples, 50)),
		p95_ms: ms(p95),
		max_ms: ms(Math.max(...samples)),
		n: samples.length,
		products: size,
		index_build_ms: ms(buildMs),
		barcode_found: found,
		target: 'p95<=16',
		ok: p95 <= 16 && found
	};
}
