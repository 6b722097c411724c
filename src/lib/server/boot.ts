/**
 * The process's runtime, built on first use from the environment the caller passes in (routes and
 * hooks pass `$env/dynamic/private`).
 *
 * Environment: POS_CONFIG, POS_DATA_DIR, DATABASE_URL, POS_PAIRING_CODE, POS_SESSION_SECRET.
 */
import { dirname, join } from 'node:path';
import { demoCatalog } from './catalog/demo';
import { loadConfig } from './config';
import { createRuntime, type Runtime } from './runtime';
import { DEFAULT_DATA_DIR, getStore } from './store';

type Env = Record<string, string | undefined>;

let pending: Promise<Runtime> | null = null;

export function getRuntime(env: Env): Promise<Runtime> {
	pending ??= boot(env).catch((error: unknown) => {
		pending = null;
		throw error;
	});
	return pending;
}

async function boot(env: Env): Promise<Runtime> {
	const dataDir = env.POS_DATA_DIR || DEFAULT_DATA_DIR;
	// Beside the PGlite directory, not inside it: PGlite owns its directory.
	const secretFile = dataDir.startsWith('memory://')
		? null
		: join(dirname(dataDir), 'session-secret');
	const config = await loadConfig({ env, secretFile });
	const store = await getStore({ databaseUrl: env.DATABASE_URL, dataDir });
	if (config.demo && env.NODE_ENV === 'production') {
		console.warn(
			'POS server: running with the demo configuration (known PINs and pairing code). Set POS_CONFIG.'
		);
	}
	return createRuntime({
		config,
		store,
		catalog: demoCatalog
	});
}
