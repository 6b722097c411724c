/** Haojin USB in Chromium: frame codec throughput, and a sale over a 9,600-baud line. */
import { bundleForBrowser } from '../scripts/bundle.js';

/** @param {import('./run.js').SuiteContext} context */
export async function run({ browser, emit, progress }) {
	const url = await bundleForBrowser('haojin', 'bench/browser/haojin.bench.ts');
	const host = await browser();
	progress('haojin: frame encode + parse + reassemble');
	emit(await host.call(url, 'codec', 4096, 2));
	progress('haojin: sales at 9,600 baud');
	emit(await host.call(url, 'sale', 5));
}
