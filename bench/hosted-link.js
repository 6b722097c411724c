/** Pay by link in Node: from the checkout request to the QR code's SVG, against the simulator. */
import { pathToFileURL } from 'node:url';
import { bundleForNode } from '../scripts/bundle.js';

/** @param {import('./run.js').SuiteContext} context */
export async function run({ emit, progress }) {
	const file = await bundleForNode('hosted-link', 'bench/node/hosted-link.bench.ts');
	/** @type {{ run(options: { samples: number }): Promise<Record<string, unknown>[]> }} */
	const suite = await import(pathToFileURL(file).href);
	progress('hosted-link: 100 checkouts, one at a time');
	for (const figure of await suite.run({ samples: 100 })) emit(figure);
}
