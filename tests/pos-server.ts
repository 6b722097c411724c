/**
 * A POS server of a test's own: the production entry (`server/index.js` over the build) on a free
 * loopback port, with the demo configuration and a fresh store. For tests that must not share the
 * Playwright server: ones that trip lock-outs on purpose, or that need https.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PosServer {
	origin: string;
	/** Everything the server printed so far. */
	output(): string;
	stop(): Promise<void>;
}

/** The shipped demo configuration, for a test to change and pass to `startPosServer`. */
export function demoConfig(): Record<string, unknown> & { terminals: Record<string, unknown>[] } {
	return JSON.parse(readFileSync('config/pos.demo.json', 'utf8'));
}

/**
 * The demo configuration with one CodePay LAN terminal as its only terminal, for a server of a
 * test's own (`startPosServer`).
 */
export function demoConfigWithLanTerminal(
	id: string,
	name: string,
	params: { host: string; port: number; appId: string }
): ReturnType<typeof demoConfig> {
	const config = demoConfig();
	config.terminals = [
		{
			id,
			name,
			rail: 'codepay-lan',
			currency: config.currency,
			params: { ...params, profile: 'codepay' }
		}
	];
	return config;
}

/** The e2e run's CodePay simulator (`tests/server.js` writes where it listens). */
export function runSimulator(): { host: string; port: number; appId: string; controlUrl: string } {
	const sim = JSON.parse(readFileSync(new URL('./.artifacts/sim.json', import.meta.url), 'utf8'));
	return sim.codepay;
}

/**
 * Starts `server/index.js`; `env` adds to (or, with `undefined`, removes from) the environment, and
 * `config`, when given, is the configuration it runs with (else the demo's).
 */
export async function startPosServer(
	env: Record<string, string | undefined> = {},
	config?: unknown
): Promise<PosServer> {
	const dir = mkdtempSync(join(tmpdir(), 'pos-own-e2e-'));
	if (config !== undefined) writeFileSync(join(dir, 'pos.json'), JSON.stringify(config));
	const merged: Record<string, string | undefined> = {
		...process.env,
		HOST: '127.0.0.1',
		PORT: '0',
		POS_CONFIG: config === undefined ? 'config/pos.demo.json' : join(dir, 'pos.json'),
		POS_DATA_DIR: join(dir, 'pglite'),
		...env
	};
	for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
	const child: ChildProcess = spawn(process.execPath, ['server/index.js'], {
		env: merged,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const origin = await new Promise<string>((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const listening = /Listening on (https?):\/\/[^:]+:(\d+)/.exec(output);
			if (listening) resolve(`${listening[1]}://localhost:${listening[2]}`);
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.on('exit', (code) => reject(new Error(`POS server exited (${code}):\n${output}`)));
	});
	return {
		origin,
		output: () => output,
		stop: async () => {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** A throwaway self-signed certificate for localhost in `dir`: `{ cert, key }` file paths. */
export function throwawayCertificate(dir: string): { cert: string; key: string } {
	const cert = join(dir, 'cert.pem');
	const key = join(dir, 'key.pem');
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-days',
			'1',
			'-subj',
			'/CN=localhost',
			'-keyout',
			key,
			'-out',
			cert
		],
		{ stdio: 'ignore' }
	);
	return { cert, key };
}
