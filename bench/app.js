/**
 * The till as an installed app (issue 14), on the production build behind `server/index.js`:
 *
 * - `app.first_load_js_css_kb`: JS + CSS the sale screen's first load transfers (a paired,
 *   signed-in till with an empty cache and no service worker), in KB as the server sends them
 *   (compressed, headers included), from Lighthouse's network records; the largest are listed.
 * - `app.lighthouse_performance`: Lighthouse's performance score of that load, mobile emulation
 *   (its defaults: a mid-range phone, simulated slow 4G), with the system Chromium.
 * - `app.warm_start_ms`: a reload of a page the service worker controls, from the navigation to
 *   the sale screen showing its search box and tiles.
 *
 * `BENCH_APP_BUILD=<dir>` measures an existing build instead of making one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUT, ROOT } from '../scripts/bundle.js';
import { measureLighthouse } from './app-lighthouse.js';
import { measureWarmStart } from './app-warm-start.js';

/** Builds and serving take a while on a 2-core machine: this suite has a longer limit. */
export const timeoutMs = 420_000;

/** @param {string} command @param {string[]} args @param {Record<string, string>} env */
function exec(command, args, env) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: ROOT,
			env: { ...process.env, ...env },
			stdio: 'pipe'
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('exit', (code) =>
			code === 0 ? resolve(undefined) : reject(new Error(`${command} failed:\n${output}`))
		);
	});
}

/**
 * `server/index.js` over `buildDir` on a free loopback port, with the demo store.
 * @param {string} buildDir @param {string} dataDir
 */
async function startServer(buildDir, dataDir) {
	const child = spawn(process.execPath, ['server/index.js'], {
		cwd: ROOT,
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: '0',
			POS_BUILD_DIR: buildDir,
			POS_CONFIG: 'config/pos.demo.json',
			POS_DATA_DIR: join(dataDir, 'pglite')
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const origin = await new Promise((resolve, reject) => {
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			output += chunk.toString();
			const listening = /Listening on http:\/\/[^:]+:(\d+)/.exec(output);
			if (listening) resolve(`http://127.0.0.1:${listening[1]}`);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', (code) => reject(new Error(`POS server exited (${code}):\n${output}`)));
	});
	// The store opens (and migrates) on the first request: not part of any figure.
	for (let tries = 0; ; tries++) {
		const health = await fetch(`${origin}/api/health`).catch(() => null);
		if (health?.ok || tries >= 120) break;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return {
		origin: /** @type {string} */ (origin),
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
}

/** @param {import('./run.js').SuiteContext} context */
export async function run({ emit, progress }) {
	const dataDir = await mkdtemp(join(tmpdir(), 'pos-bench-app-'));
	let buildDir = process.env.BENCH_APP_BUILD;
	if (!buildDir) {
		buildDir = `${OUT}app-build`;
		progress('app: production build');
		await exec(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
			POS_BUILD_OUT: buildDir
		});
	}
	const server = await startServer(buildDir, dataDir);
	try {
		progress('app: Lighthouse, mobile, on the sale screen');
		const lighthouse = await measureLighthouse(server.origin, dataDir);
		emit({
			bench: 'app.first_load_js_css_kb',
			kb: lighthouse.jsCssKb,
			js_kb: lighthouse.jsKb,
			css_kb: lighthouse.cssKb,
			requests: lighthouse.jsCssRequests,
			largest: lighthouse.largest,
			target: 100,
			ok: lighthouse.jsCssKb <= 100
		});
		emit({
			bench: 'app.lighthouse_performance',
			score: lighthouse.score,
			metrics: lighthouse.metrics,
			bootup: lighthouse.bootup,
			form_factor: 'mobile',
			target: 95,
			ok: lighthouse.score >= 95
		});
		progress('app: warm start from the service worker');
		const warm = await measureWarmStart(server.origin, dataDir);
		emit({ bench: 'app.warm_start_ms', ...warm, target: null, ok: true });
	} finally {
		await server.stop();
		await rm(dataDir, { recursive: true, force: true });
	}
}
