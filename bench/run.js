/**
 * `npm run bench` (or `node bench/run.js [suite...]`): one JSON line per figure on stdout, with
 * its target and `ok`; progress on stderr. A suite that fails prints a line with `error` and the
 * others still run. Suites: journal, catalog, catalog-db, codepay, codepay-cloud, hosted-link,
 * haojin, app (the installed app: first-load bytes, Lighthouse, warm start; it builds the app first).
 */
import { BrowserHost } from './browser-host.js';

/**
 * @typedef {object} SuiteContext
 * @property {() => Promise<BrowserHost>} browser the shared Chromium, started on first use
 * @property {(figure: unknown) => void} emit prints one figure
 * @property {(message: string) => void} progress
 */

/** @type {Record<string, () => Promise<{ run(context: SuiteContext): Promise<void>, timeoutMs?: number }>>} */
const SUITES = {
	journal: () => import('./journal.js'),
	catalog: () => import('./catalog.js'),
	'catalog-db': () => import('./catalog-db.js'),
	codepay: () => import('./codepay.js'),
	'codepay-cloud': () => import('./codepay-cloud.js'),
	'hosted-link': () => import('./hosted-link.js'),
	haojin: () => import('./haojin.js'),
	app: () => import('./app.js')
};
/**
 * A suite still running after this (or its own `timeoutMs`) is reported as failed (the whole run
 * should take ~2 min, plus the app suite's build).
 */
const SUITE_TIMEOUT_MS = 150_000;

const progress = (/** @type {string} */ message) => console.error(`[bench] ${message}`);
const emit = (/** @type {unknown} */ figure) => console.log(JSON.stringify(figure));

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in SUITES));
if (unknown.length > 0) {
	console.error(
		`Unknown suite ${unknown.join(', ')}; choose from ${Object.keys(SUITES).join(', ')}`
	);
	process.exit(2);
}
const names = asked.length > 0 ? asked : Object.keys(SUITES);

/** @type {Promise<BrowserHost> | undefined} */
let host;
const browser = () => (host ??= BrowserHost.start());

let failed = 0;
const started = performance.now();
for (const name of names) {
	const suiteStart = performance.now();
	progress(`${name}: start`);
	/** @type {ReturnType<typeof setTimeout> | undefined} */
	let timer;
	try {
		const suite = await SUITES[name]?.();
		if (!suite) throw new Error(`no suite ${name}`);
		const limit = suite.timeoutMs ?? SUITE_TIMEOUT_MS;
		await Promise.race([
			suite.run({ browser, emit, progress }),
			new Promise((_, reject) => {
				timer = setTimeout(() => reject(new Error(`timed out after ${limit / 1000} s`)), limit);
			})
		]);
	} catch (error) {
		failed++;
		const message = error instanceof Error ? error.message : String(error);
		emit({ bench: name, error: message.split('\n')[0] });
		if (error instanceof Error && error.stack) progress(error.stack);
	} finally {
		clearTimeout(timer);
	}
	progress(`${name}: done in ${((performance.now() - suiteStart) / 1000).toFixed(1)} s`);
}
if (host) await (await host.catch(() => undefined))?.close();
progress(`all done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
// Benchmarks report; they do not fail the build. A suite that could not run is another matter.
process.exit(failed > 0 ? 1 : 0);
