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
import type { ApprovalClaim } from './frame-policy';
import {
	createRelay,
	type Relay,
	type RelayCaller,
	type RelayDeps,
	type RelayLimits
} from './relay';
import { isManagerRole } from '../auth/roles';

/** The key `server/index.js` reads; a registered symbol, so both sides name it independently. */
export const RELAY_GLOBAL = Symbol.for('terminal-pos.relay');

type Env = Record<string, string | undefined>;

/**
 * The same checks as `guardApi`: the token as a bearer token, hashed, looked up in the store; the
 * session as `X-Staff-Session` (signature, expiry, signed for this device, staff still configured).
 */
export async function authenticateDevice(
	rt: Runtime,
	token: string,
	session?: string
): Promise<RelayCaller | null> {
	const headers = new Headers({ authorization: `Bearer ${token}` });
	if (session) headers.set('x-staff-session', session);
	const caller = await identify(rt, headers);
	return caller.device ? { deviceId: caller.device.id, staffId: caller.staff?.id ?? null } : null;
}

/** Uses up the approval a frame needs; its manager must still be a manager now. */
export async function claimApproval(
	rt: Runtime,
	deviceId: string,
	claim: ApprovalClaim
): Promise<boolean> {
	const now = rt.now();
	const record =
		claim.action === 'batch_close'
			? await rt.store.claimBatchCloseApproval({
					deviceId,
					terminalId: claim.terminalId,
					requestId: claim.requestId,
					now
				})
			: await rt.store.claimApprovalForFrame({ deviceId, ...claim, now });
	return (
		record !== null &&
		rt.config.staff.some((s) => s.id === record.managerId && isManagerRole(s.role))
	);
}

/** Relay limits from the environment: POS_RELAY_MAX_CONNECTIONS, POS_RELAY_IDLE_MS, … */
export function relayLimitsFromEnv(env: Env): Partial<RelayLimits> {
	const limits: Partial<RelayLimits> = {};
	const pick = (name: string, key: keyof RelayLimits) => {
		const value = Number(env[name]);
		if (env[name] && Number.isFinite(value) && value >= 0) limits[key] = value;
	};
	pick('POS_RELAY_MAX_CONNECTIONS', 'maxConnections');
	pick('POS_RELAY_MAX_PER_DEVICE', 'maxPerDevice');
	pick('POS_RELAY_IDLE_MS', 'idleMs');
	pick('POS_RELAY_MAX_FRAME_BYTES', 'maxPayload');
	pick('POS_RELAY_CONNECT_TIMEOUT_MS', 'connectTimeoutMs');
	return limits;
}

export function relayForEnv(env: Env, log?: RelayDeps['log']): Relay {
	return createRelay({
		authenticate: async (token, session) =>
			authenticateDevice(await getRuntime(env), token, session),
		terminals: async () => (await getRuntime(env)).config.terminals,
		claimApproval: async (deviceId, claim) => claimApproval(await getRuntime(env), deviceId, claim),
		limits: relayLimitsFromEnv(env),
		log
	});
}

/** Called once from the server `init` hook. */
export function publishRelay(env: Env): void {
	const slot = globalThis as { [RELAY_GLOBAL]?: Relay };
	slot[RELAY_GLOBAL] ??= relayForEnv(env);
}
