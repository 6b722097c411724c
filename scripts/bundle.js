/**
 * Bundles the benchmark entries with Vite's JS API (no config file: the SvelteKit plugin is not
 * wanted here), one build per suite so that a broken module only fails its own suite.
 * Output goes under node_modules/.cache so that Node bundles resolve their externals (`ws`, `zod`)
 * from the project's node_modules.
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OUT = fileURLToPath(new URL('../node_modules/.cache/pos-bench/', import.meta.url));

/** @satisfies {import('vite').InlineConfig} */
const shared = {
	configFile: /** @type {const} */ (false),
	envDir: /** @type {const} */ (false),
	root: ROOT,
	logLevel: /** @type {const} */ ('warn'),
	// The rail registry names each rail's settings component (loaded on demand, never run here).
	plugins: [svelte({ configFile: false })],
	resolve: { alias: { $lib: fileURLToPath(new URL('../src/lib', import.meta.url)) } }
};

/**
 * An ES module for the browser, served by `browser-host.js` at `/<name>/<name>.js`.
 * @param {string} name
 * @param {string} entry path from the project root
 */
export async function bundleForBrowser(name, entry) {
	const outDir = `${OUT}browser/${name}`;
	await rm(outDir, { recursive: true, force: true });
	await build({
		...shared,
		// Library mode keeps `process.env.NODE_ENV` as is; the browser has no `process`.
		define: { 'process.env.NODE_ENV': JSON.stringify('production') },
		build: {
			outDir,
			emptyOutDir: true,
			target: 'es2022',
			minify: false,
			reportCompressedSize: false,
			copyPublicDir: false,
			lib: { entry, formats: ['es'], fileName: () => `${name}.js` }
		}
	});
	return `/${name}/${name}.js`;
}

/**
 * An ES module for Node (SSR build: packages stay external and load from node_modules).
 * @param {string} name
 * @param {string} entry path from the project root
 * @returns {Promise<string>} the bundle's file path
 */
export async function bundleForNode(name, entry) {
	const outDir = `${OUT}node/${name}`;
	await rm(outDir, { recursive: true, force: true });
	await build({
		...shared,
		build: {
			outDir,
			emptyOutDir: true,
			ssr: true,
			target: 'node20',
			minify: false,
			reportCompressedSize: false,
			copyPublicDir: false,
			rolldownOptions: {
				input: { [name]: entry },
				output: { format: 'es', entryFileNames: '[name].js' }
			}
		}
	});
	return `${outDir}/${name}.js`;
}
