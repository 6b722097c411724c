/**
 * What the API tests share: a runtime over a real in-memory PGlite with a test configuration, and
 * `call`, which does for one request what `hooks.server.ts` and the router do. Test-only.
 */
import { guardApi } from '../auth/guard';
import { issuePairingCode } from '../auth/pairing-codes';
import { hashPin } from '../auth/pin';
import { importSeed, shopBase } from '../backoffice/seed';
import { ShopState } from '../backoffice/shop-state';
import { parseConfigFile, resolveConfig, type ConfigFile } from '../config';
import type { ApiEvent } from '../http';
import { createRuntime, type Runtime } from '../runtime';
import type { Store } from '../store/types';
import { pairDevice } from './pair';

export type Handler = (rt: Runtime, event: ApiEvent) => Response | Promise<Response>;

export const TEST_SECRET = 'test-session-secret-0123456789abcdef';
export const TEST_PAIRING_CODE = '246810';

/** A clock the tests move by hand. */
export interface TestClock {
	now: number;
}

/** The test shop's configuration: a cashier (1111), a manager (9999) and a cloud terminal. */
export async function testConfigFile(overrides: Partial<ConfigFile> = {}): Promise<ConfigFile> {
	return parseConfigFile({
		storeName: 'Test Shop',
		currency: 'USD',
		devicePrefix: 'TS',
		pairingCode: 'from-file',
		sessionSecret: TEST_SECRET,
		staff: [
			{ id: 'casey', name: 'Casey Cashier', role: 'cashier', pinHash: await hashPin('1111', 1024) },
			{
				id: 'morgan',
				name: 'Morgan Manager',
				role: 'manager',
				pinHash: await hashPin('9999', 1024)
			}
		],
		terminals: [
			{
				id: 'cloud-1',
				name: 'Cloud terminal',
				rail: 'codepay-cloud',
				currency: 'USD',
				params: { appId: 'APP' },
				secrets: { appKey: 'terminal-secret-value' }
			}
		],
		...overrides
	});
}

/** A runtime with its own limiters over `store`, on `clock`, with a fixed configuration. */
export async function testRuntime(
	store: Store,
	clock: TestClock,
	file?: ConfigFile
): Promise<Runtime> {
	const config = await resolveConfig(file ?? (await testConfigFile()), {
		env: { POS_PAIRING_CODE: TEST_PAIRING_CODE },
		keepSecret: null
	});
	return createRuntime({
		config,
		store,
		now: () => clock.now
	});
}

/**
 * A runtime that reads the shop from `store`'s database, as the server does (issue 13): `seed`,
 * when given, is imported first (once per database), else the store waits for its setup.
 */
export async function shopRuntime(
	store: Store,
	clock: TestClock,
	seed?: ConfigFile
): Promise<Runtime> {
	if (seed) await importSeed(store, { path: 'test', file: seed }, clock.now);
	const base = await shopBase({ env: {}, file: seed ?? null, keepSecret: null });
	return createRuntime({
		shop: await ShopState.load(store, { ...base, sessionSecret: TEST_SECRET }),
		store,
		now: () => clock.now
	});
}

export interface CallOptions {
	method?: string;
	body?: unknown;
	rawBody?: string;
	token?: string;
	session?: string;
	ip?: string;
}

export interface CallResult {
	status: number;
	headers: Headers;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever came back
	body: any;
}

/** Does what the hooks and the router do for one request. */
export async function call(
	rt: Runtime,
	handler: Handler,
	path: string,
	options: CallOptions = {}
): Promise<CallResult> {
	const url = new URL(path, 'http://pos.test');
	const headers = new Headers({ accept: 'application/json' });
	if (options.token) headers.set('authorization', `Bearer ${options.token}`);
	if (options.session) headers.set('x-staff-session', options.session);
	const hasBody = options.body !== undefined || options.rawBody !== undefined;
	if (hasBody) headers.set('content-type', 'application/json');
	const request = new Request(url, {
		method: options.method ?? (hasBody ? 'POST' : 'GET'),
		headers,
		body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
	});
	const guard = await guardApi(rt, url.pathname, request.headers);
	const response = guard.response
		? guard.response
		: await handler(rt, {
				request,
				url,
				locals: { device: guard.caller.device, staff: guard.caller.staff },
				getClientAddress: () => options.ip ?? '10.0.0.1'
			});
	return { status: response.status, headers: response.headers, body: await response.json() };
}

/**
 * Pairs one more till through `POST /api/devices/pair`, with a one-time code issued as a manager
 * would: outside demo mode the configured code pairs only the first till.
 */
export async function pairTill(
	rt: Runtime,
	name = 'Till',
	ip = '10.0.0.1'
): Promise<{ deviceId: string; token: string }> {
	const { code } = await issuePairingCode(rt, { deviceId: 'test-harness', staffId: 'morgan' });
	const res = await call(rt, pairDevice, '/api/devices/pair', { body: { code, name }, ip });
	if (res.status !== 200)
		throw new Error(`Pairing failed: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body as { deviceId: string; token: string };
}
