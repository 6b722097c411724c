/**
 * A POS server of a test's own: the production entry (`server/index.js`, built by the run's web
 * server step) on a free port, with a configuration the test writes and a fresh embedded store.
 * For what the shared demo server cannot show, such as a shop outside demo mode.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OwnServer {
	origin: string;
	stop(): Promise<void>;
}

/** The shipped demo configuration, to change for a test. */
export function demoConfig(): Record<string, unknown> & { terminals: Record<string, unknown>[] } {
	return JSON.parse(readFileSync('config/pos.demo.json', 'utf8'));
}

/** The e2e run's CodePay simulator (`tests/server.js` writes where it listens). */
export function runSimulator(): { host: string; port: number; appId: string; controlUrl: string } {
	const sim = JSON.parse(readFileSync(new URL('./.artifacts/sim.json', import.meta.url), 'utf8'));
	return sim.codepay;
}

export function startOwnServer(
	config: unknown,
	env: Record<string, string> = {}
): Promise<OwnServer> {
	const dir = mkdtempSync(join(tmpdir(), 'pos-own-server-'));
	writeFileSync(join(dir, 'pos.json'), JSON.stringify(config));
	const child: ChildProcess = spawn(process.execPath, ['server/index.js'], {
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			POS_CONFIG: join(dir, 'pos.json'),
			POS_DATA_DIR: join(dir, 'pglite'),
			POS_PAIRING_CODE: '',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const stop = () =>
		new Promise<void>((resolve) => {
			if (child.exitCode !== null) resolve();
			else {
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}
		}).then(() => rmSync(dir, { recursive: true, force: true }));
	return new Promise((resolve, reject) => {
		let output = '';
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const listening = /Listening on http:\/\/[^:]+:(\d+)/.exec(output);
			if (listening) resolve({ origin: `http://localhost:${listening[1]}`, stop });
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.on('exit', (code) => reject(new Error(`POS server exited (${code}):\n${output}`)));
	});
}
