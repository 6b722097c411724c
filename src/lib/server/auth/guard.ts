/**
 * Who is calling the API: the device from `Authorization: Bearer <token>`, the staff member from
 * `X-Staff-Session`. Page routes are never blocked; the app shell must load unpaired and offline.
 */
import { deviceNotPaired, jsonError } from '../http';
import type { Runtime } from '../runtime';
import { verifySession } from './session-token';
import type { StaffMember } from './staff';
import { hashToken } from './tokens';

/** API routes a caller may use without a device token. */
const PUBLIC_API_PATHS = new Set(['/api/health', '/api/devices/pair', '/api/setup']);
/** Gateways' server-to-server notifications carry their own signatures, not a device token. */
const PUBLIC_API_PREFIXES = ['/api/notify/'];
/**
 * Routes anyone may call, told who the caller is when it is a paired till: a hosted payment's
 * return page, opened on the till or on the customer's phone (issue 11).
 */
const OPEN_API_PREFIXES = ['/api/payment-returns/'];

/** Devices' `last_seen_at` is refreshed at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

function normalise(pathname: string): string {
	return pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
}

export function isApiPath(pathname: string): boolean {
	const path = normalise(pathname);
	return path === '/api' || path.startsWith('/api/');
}

export function isPublicApiPath(pathname: string): boolean {
	const path = normalise(pathname);
	return (
		PUBLIC_API_PATHS.has(path) || PUBLIC_API_PREFIXES.some((prefix) => path.startsWith(prefix))
	);
}

export interface Caller {
	device: { id: string } | null;
	staff: StaffMember | null;
	/** The token was a till's that a manager revoked (issue 13): refused, with its own message. */
	revoked?: boolean;
}

/** What a till tells of itself on each call (issue 13): its outbox size and app version. */
const UNSYNCED_HEADER = 'x-till-unsynced';
const VERSION_HEADER = 'x-app-version';

export async function identify(rt: Runtime, headers: Headers): Promise<Caller> {
	const bearer = /^Bearer\s+([A-Za-z0-9_-]{16,128})\s*$/i.exec(headers.get('authorization') ?? '');
	if (!bearer?.[1]) return { device: null, staff: null };
	await rt.refresh();
	const record = await rt.store.findDeviceByTokenHash(hashToken(bearer[1]));
	if (!record) return { device: null, staff: null };
	if (record.revokedAt !== null) return { device: null, staff: null, revoked: true };
	const now = rt.now();
	if (now - record.lastSeenAt > TOUCH_INTERVAL_MS) await rt.store.touchDevice(record.id, now);
	await report(rt, record.id, headers, now);
	return { device: { id: record.id }, staff: staffFromSession(rt, headers, record.id, now) };
}

async function report(rt: Runtime, deviceId: string, headers: Headers, now: number): Promise<void> {
	const unsyncedText = headers.get(UNSYNCED_HEADER);
	const unsynced =
		unsyncedText && /^\d{1,9}$/.test(unsyncedText) ? Number(unsyncedText) : undefined;
	const versionText = headers.get(VERSION_HEADER)?.trim();
	const appVersion = versionText && /^[\w.+-]{1,64}$/.test(versionText) ? versionText : undefined;
	if (unsynced === undefined && appVersion === undefined) return;
	await rt.store.tills.report(deviceId, { unsynced, appVersion }, now);
}

/** A revoked till's answer: not `device_not_paired`, so the till keeps its journal and says why. */
export function deviceRevoked(): Response {
	return jsonError(
		401,
		'device_revoked',
		'This till was removed by a manager. Its sales stay on it; ask a manager to pair it again.'
	);
}

function staffFromSession(
	rt: Runtime,
	headers: Headers,
	deviceId: string,
	now: number
): StaffMember | null {
	const token = headers.get('x-staff-session');
	if (!token) return null;
	const check = verifySession(token, rt.config.sessionSecret, now);
	// A session signed for another tablet does not travel with a copied header.
	if (!check.ok || check.payload.deviceId !== deviceId) return null;
	const member = rt.config.staff.find((s) => s.id === check.payload.staffId);
	// Someone removed from the config is signed out at once.
	return member ? { id: member.id, name: member.name, role: member.role } : null;
}

/**
 * Resolves the caller of an API request, or the 401 that answers it. Public API routes are let
 * through without looking at credentials.
 */
export async function guardApi(
	rt: Runtime,
	pathname: string,
	headers: Headers
): Promise<{ caller: Caller; response?: undefined } | { response: Response }> {
	if (isPublicApiPath(pathname)) return { caller: { device: null, staff: null } };
	const caller = await identify(rt, headers);
	if (caller.revoked) return { response: deviceRevoked() };
	if (OPEN_API_PREFIXES.some((prefix) => normalise(pathname).startsWith(prefix))) return { caller };
	if (!caller.device) return { response: deviceNotPaired() };
	return { caller };
}
