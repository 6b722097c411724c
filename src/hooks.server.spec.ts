/**
 * The hook and the real route modules together, on the demo configuration and an in-memory
 * PGlite: what a tablet sees from its first pairing to its first sync.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';

vi.mock('$env/dynamic/private', () => ({
	env: { POS_DATA_DIR: 'memory://', POS_CONFIG: 'config/pos.demo.json' }
}));

const { handle } = await import('./hooks.server');

type Endpoint = (event: RequestEvent) => Response | Promise<Response>;
const routes: Record<string, () => Promise<Record<string, unknown>>> = {
	'/api/health': () => import('./routes/api/health/+server'),
	'/api/devices/pair': () => import('./routes/api/devices/pair/+server'),
	'/api/auth/login': () => import('./routes/api/auth/login/+server'),
	'/api/auth/manager': () => import('./routes/api/auth/manager/+server'),
	'/api/config': () => import('./routes/api/config/+server'),
	'/api/catalog': () => import('./routes/api/catalog/+server'),
	'/api/sync': () => import('./routes/api/sync/+server'),
	'/api/orders': () => import('./routes/api/orders/+server')
};

async function request(
	path: string,
	options: { body?: unknown; token?: string; session?: string } = {}
): Promise<{ status: number; body: Record<string, unknown> }> {
	const url = new URL(path, 'http://pos.test');
	const headers = new Headers();
	if (options.token) headers.set('authorization', `Bearer ${options.token}`);
	if (options.session) headers.set('x-staff-session', options.session);
	const method = options.body === undefined ? 'GET' : 'POST';
	const event = {
		url,
		request: new Request(url, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body)
		}),
		locals: {} as App.Locals,
		getClientAddress: () => '10.1.1.1'
	} as unknown as RequestEvent;
	const response = await handle({
		event,
		resolve: async (resolved) => {
			if (!url.pathname.startsWith('/api/')) {
				return new Response(JSON.stringify({ page: true, locals: resolved.locals }));
			}
			const route = await routes[url.pathname]?.();
			const endpoint = route?.[method] as Endpoint | undefined;
			// What SvelteKit answers for a path no route serves: its HTML error page.
			return endpoint
				? endpoint(resolved)
				: new Response('<!doctype html><h1>404</h1>', {
						status: 404,
						headers: { 'content-type': 'text/html' }
					});
		}
	});
	return { status: response.status, body: await response.json() };
}

describe('hooks.server handle with the API routes', () => {
	it(
		'answers a paired till JSON for an API route that does not exist',
		{ timeout: 60_000 },
		async () => {
			const paired = await request('/api/devices/pair', { body: { code: '246810', name: 'T' } });
			const missing = await request('/api/no-such-route', { token: paired.body.token as string });
			expect(missing).toMatchObject({ status: 404, body: { error: 'not_found' } });
		}
	);

	it('serves a tablet from pairing to sync', { timeout: 60_000 }, async () => {
		expect(await request('/api/health')).toEqual({
			status: 200,
			body: { ok: true, store: 'pglite' }
		});

		// The app shell loads unpaired; the API does not answer an unpaired device.
		expect(await request('/')).toEqual({
			status: 200,
			body: { page: true, locals: { device: null, staff: null } }
		});
		const unpaired = await request('/api/config');
		expect(unpaired).toMatchObject({ status: 401, body: { error: 'device_not_paired' } });

		const wrongCode = await request('/api/devices/pair', { body: { code: '111111', name: 'T' } });
		expect(wrongCode.status).toBe(401);
		const paired = await request('/api/devices/pair', { body: { code: '246810', name: 'Till 1' } });
		expect(paired.status).toBe(200);
		const { deviceId, token } = paired.body as { deviceId: string; token: string };

		const config = await request('/api/config', { token });
		expect(config.body).toMatchObject({
			currency: 'USD',
			deviceId,
			demo: true,
			terminals: [
				{ id: 'sim-1', rail: 'simulated', provisioned: true },
				{ id: 'codepay-1', rail: 'codepay-lan', provisioned: true },
				{ id: 'iotpay-1', rail: 'iotpay-pax', provisioned: true },
				{ id: 'cloud-1', rail: 'codepay-cloud', provisioned: true },
				{ id: 'card-entry-1', rail: 'codepay-card', provisioned: true },
				{ id: 'link-1', rail: 'codepay-link', provisioned: true }
			]
		});
		expect(JSON.stringify(config.body)).not.toMatch(/246810|scrypt|pinHash/);

		const catalog = await request('/api/catalog', { token });
		expect(catalog.status).toBe(200);
		expect(catalog.body).toMatchObject({ currency: 'USD' });
		expect((catalog.body.products as unknown[]).length).toBeGreaterThan(0);

		const login = await request('/api/auth/login', { body: { pin: '1111' }, token });
		expect(login.body).toMatchObject({ staff: { name: 'Casey Cashier', role: 'cashier' } });
		const session = login.body.sessionToken as string;

		const manager = await request('/api/auth/manager', {
			body: {
				pin: '9999',
				action: 'void',
				orderId: 'o-1',
				origAttemptId: 'sale-1',
				origMerchantOrderNo: 'POS1S1',
				amount: 450
			},
			token,
			session
		});
		expect(manager.body).toMatchObject({ ok: true, manager: { name: 'Morgan Manager' } });

		const synced = await request('/api/sync', { body: { deviceId, events: [] }, token });
		expect(synced.body).toMatchObject({ ok: true, accepted: { events: 0 } });

		expect((await request('/api/orders', { token })).status).toBe(401);
		expect(await request('/api/orders', { token, session })).toEqual({
			status: 200,
			body: { orders: [] }
		});
	});
});
