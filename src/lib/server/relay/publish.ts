/**
 * Hands the relay to `server/index.js`, the production entry that owns the HTTP server.
 *
 * SvelteKit has no WebSocket support, so the entry handles `upgrade` itself. The relay must check
 * tokens against the very store the app uses (one PGlite directory may only be opened once per
 * process), so it is built into the SvelteKit server bundle, where it shares the app's runtime
 * singleton, and published on `globalThis` from the server `init` hook, which adapter-node runs
 * while `build/handler.js` is imported. `server/index.js` picks it up after that import.
 */
import { identify } from '../auth/guard';
import { getRuntime } from '../boot';
import type { Runtime } from '../runtime';
import { createRelay, type Relay, type RelayDeps, type RelayLimits } from './relay';

/** The key `server/index.js` reads; a registered symbol, so both sides name it independently. */
export const RELAY_GLOBAL = Symbol.for('terminal-pos.relay');

type Env = Record<string, string | undefined>;

/** The same check as `guardApi`: the token as a bearer token, hashed, looked up in the store. */
export async function authenticateDevice(
	rt: Runtime,
	token: string
): Promise<{ deviceId: string } | null> {
	const caller = await identify(rt, new Headers({ authorization: `Bearer ${token}` }));
	return caller.device ? { deviceId: caller.device.id } : null;
}

/** Relay limits from the environment: POS_RELAY_MAX_CONNECTIONS, POS_RELAY_IDLE_MS, … */
export function relayLimitsFromEnv(env: Env): Partial<RelayLimits> {
	const limits: Partial<RelayLimits> = {};
	const pick = (name: string, key: keyof RelayLimits) => {
		const value = Number(env[name]);
		if (env[name] && Number.isFinite(value) && value >= 0) limits[key] = value;
	};
	pick('POS_RELAY_MAX_CONNECTIONS', 'maxConnections');
	pick('POS_RELAY_IDLE_MS', 'idleMs');
	pick('POS_RELAY_MAX_FRAME_BYTES', 'maxPayload');
	pick('POS_RELAY_CONNECT_TIMEOUT_MS', 'connectTimeoutMs');
	return limits;
}

export function relayForEnv(env: Env, log?: RelayDeps['log']): Relay {
	return createRelay({
		authenticate: async (token) => authenticateDevice(await getRuntime(env), token),
		terminals: async () => (await getRuntime(env)).config.terminals,
		limits: relayLimitsFromEnv(env),
		log
	});
}

/** Called once from the server `init` hook. */
export function publishRelay(env: Env): void {
	const slot = globalThis as { [RELAY_GLOBAL]?: Relay };
	slot[RELAY_GLOBAL] ??= relayForEnv(env);
}
