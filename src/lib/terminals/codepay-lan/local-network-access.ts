/**
 * The browser side of Local Network Access (NOTES.md §1): reads the permission, asks for it from a
 * tap, and tells drivers when it changed, so that `connection-path.ts` can choose direct or relay.
 *
 * Verified in Debian Chromium 150: `navigator.permissions.query({ name: 'local-network-access' })`
 * answers (as do `local-network` and `loopback-network`, the names Chrome split it into); a
 * browser without the permission rejects the query with a TypeError. The prompt comes up when a
 * page on a public address opens `ws://` to a private one, so the ask is that socket, from a tap.
 */
import type { LocalNetworkAccess, LocalNetworkPermission } from './connection-path';

const PERMISSION = 'local-network-access';
/** Set once a direct socket opened while the permission said "prompt" (`directWorked`). */
const DIRECT_WORKED_KEY = 'pos.codepay-lan.direct-worked';
const listeners = new Set<() => void>();
let watched: Promise<PermissionStatus | null> | undefined;

async function status(): Promise<PermissionStatus | null> {
	const permissions = (globalThis as { navigator?: Navigator }).navigator?.permissions;
	if (!permissions) return null;
	try {
		return await permissions.query({ name: PERMISSION as PermissionName });
	} catch {
		return null;
	}
}

function directWorked(): boolean {
	try {
		return globalThis.localStorage?.getItem(DIRECT_WORKED_KEY) === '1';
	} catch {
		return false;
	}
}

function changed(): void {
	for (const listener of listeners) listener();
}

/** The permission now, and whether a direct socket has worked from this page without it. */
export async function readLocalNetworkAccess(): Promise<LocalNetworkAccess> {
	const state = await status();
	const permission: LocalNetworkPermission = state ? state.state : 'unsupported';
	return { permission, directWorked: directWorked() };
}

/** Calls `listener` whenever the permission changes (site settings, a prompt, a policy). */
export function watchLocalNetworkAccess(listener: () => void): () => void {
	listeners.add(listener);
	watched ??= status().then((s) => {
		s?.addEventListener('change', changed);
		return s;
	});
	return () => listeners.delete(listener);
}

/**
 * Opens `ws://` to the terminal from a tap (`url` from `directUrl`): on a page with a public
 * address the browser asks the cashier; on one from the shop's network it just opens. Resolves
 * with what the page may do now.
 */
export async function askLocalNetworkAccess(
	url: string,
	timeoutMs = 60_000
): Promise<{ opened: boolean; access: LocalNetworkAccess }> {
	const opened = await new Promise<boolean>((resolve) => {
		let socket: WebSocket;
		try {
			socket = new WebSocket(url);
		} catch {
			return resolve(false);
		}
		const timer = setTimeout(() => {
			socket.close();
			resolve(false);
		}, timeoutMs);
		socket.onopen = () => {
			clearTimeout(timer);
			socket.close();
			resolve(true);
		};
		socket.onerror = () => {
			clearTimeout(timer);
			resolve(false);
		};
	});
	const before = await readLocalNetworkAccess();
	if (opened && before.permission === 'prompt') {
		try {
			localStorage.setItem(DIRECT_WORKED_KEY, '1');
		} catch {
			// Private mode without storage: the tap is asked again next time.
		}
	}
	changed();
	return { opened, access: await readLocalNetworkAccess() };
}
