/**
 * Bundles `init.ts` into one classic script for `page.addInitScript({ path })`, with Vite's JS API
 * and no config file (the SvelteKit plugin is not wanted). Output goes to the gitignored
 * `tests/.artifacts/`, so the fake port can never reach the app's build.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../.artifacts/fake-serial', import.meta.url));
export const FAKE_SERIAL_SCRIPT = `${OUT_DIR}/init.js`;

let built: Promise<string> | undefined;

export function buildFakeSerial(): Promise<string> {
	built ??= build({
		configFile: false,
		envDir: false,
		root: ROOT,
		logLevel: 'warn',
		resolve: { alias: { $lib: fileURLToPath(new URL('../../src/lib', import.meta.url)) } },
		define: { 'process.env.NODE_ENV': JSON.stringify('production') },
		build: {
			outDir: OUT_DIR,
			emptyOutDir: true,
			target: 'es2022',
			minify: false,
			reportCompressedSize: false,
			copyPublicDir: false,
			lib: {
				entry: fileURLToPath(new URL('./init.ts', import.meta.url)),
				formats: ['iife'],
				name: 'haojinFakeSerial',
				fileName: () => 'init.js'
			}
		}
	}).then(() => FAKE_SERIAL_SCRIPT);
	return built;
}
