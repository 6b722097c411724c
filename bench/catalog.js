/** Product search per keystroke over 20,000 products, in Chromium (the tablet's engine). */
import { bundleForBrowser } from '../scripts/bundle.js';

/** @param {import('./run.js').SuiteContext} context */
export async function run({ browser, emit, progress }) {
	const url = await bundleForBrowser('catalog', 'bench/browser/catalog.bench.ts');
	const host = await browser();
	progress('catalog: typing queries over 20,000 products');
	emit(await host.call(url, 'search', 20_000, 5));
}
