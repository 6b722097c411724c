/** CodePay cloud in Node: signed gateway calls through the gateway client against the simulator. */
import { pathToFileURL } from 'node:url';
import { bundleForNode } from '../scripts/bundle.js';

/** @param {import('./run.js').SuiteContext} context */
export async function run({ emit, progress }) {
	const file = await bundleForNode('codepay-cloud', 'bench/node/codepay-cloud.bench.ts');
	/** @type {{ run(options: { calls: number; concurrency: number }): Promise<Record<string, unknown>[]> }} */
	const suite = await import(pathToFileURL(file).href);
	progress('codepay-cloud: raw sign, then 2,000 signed calls 50 at a time');
	for (const figure of await suite.run({ calls: 2000, concurrency: 50 })) emit(figure);
	const serverFile = await bundleForNode(
		'codepay-cloud-server',
		'bench/node/codepay-cloud-server.bench.ts'
	);
	/** @type {{ run(options: { sales: number; concurrency: number }): Promise<Record<string, unknown>[]> }} */
	const server = await import(pathToFileURL(serverFile).href);
	progress('codepay-cloud: 300 sales through the server, 10 at a time, settled by notification');
	for (const figure of await server.run({ sales: 300, concurrency: 10 })) emit(figure);
}
