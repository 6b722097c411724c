/** CodePay LAN in Node: the bundled driver against the simulator on loopback. */
import { pathToFileURL } from 'node:url';
import { bundleForNode } from '../scripts/bundle.js';

/** @param {import('./run.js').SuiteContext} context */
export async function run({ emit, progress }) {
	const file = await bundleForNode('codepay', 'bench/node/codepay.bench.ts');
	/** @type {{ run(options: { sales: number; queries: number; warmup: number }): Promise<Record<string, unknown>[]> }} */
	const suite = await import(pathToFileURL(file).href);
	progress('codepay: sales, baselines and 1,000 queries');
	for (const figure of await suite.run({ sales: 1000, queries: 1000, warmup: 50 })) emit(figure);
}
