/**
 * The hook puts the security headers on everything SvelteKit answers, pages and API alike (issue
 * 8 §5), and refuses at the edge what no route should see. Over the demo configuration and an
 * in-memory PGlite. Page CSP itself is SvelteKit's (`kit.csp`): tests/headers.e2e.ts reads it.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';

vi.mock('$env/dynamic/private', () => ({ env: { POS_DATA_DIR: 'memory://' } }));

const { handle } = await import('./hooks.server');

async function request(
	path: string,
	init: RequestInit = {},
	page: () => Response = () =>
		new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } })
): Promise<Response> {
	const url = new URL(path, 'http://pos.test');
	const event = {
		url,
		request: new Request(url, init),
		locals: {} as App.Locals,
		getClientAddress: () => '10.1.1.1'
	} as unknown as RequestEvent;
	return handle({
		event,
		resolve: async () => {
			if (url.pathname.startsWith('/api/health')) {
				const { GET } = await import('./routes/api/health/+server');
				return GET(event as never);
			}
			return page();
		}
	});
}

function expectSecurityHeaders(response: Response): void {
	expect(response.headers.get('x-frame-options')).toBe('DENY');
	expect(response.headers.get('x-content-type-options')).toBe('nosniff');
	expect(response.headers.get('referrer-policy')).toBe('no-referrer');
	expect(response.headers.get('permissions-policy')).toMatch(/(^|, )serial=\(self\)(,|$)/);
	expect(response.headers.get('permissions-policy')).toMatch(/(^|, )camera=\(\)(,|$)/);
	// Only server/index.js knows whether the connection is TLS.
	expect(response.headers.get('strict-transport-security')).toBeNull();
}

describe('hooks.server security headers', () => {
	it('puts them on a page and keeps the page its own CSP', async () => {
		const pageCsp = "default-src 'self'; frame-ancestors 'none'";
		const page = await request(
			'/',
			{},
			() => new Response('<!doctype html>', { headers: { 'content-security-policy': pageCsp } })
		);
		expectSecurityHeaders(page);
		expect(page.headers.get('content-security-policy')).toBe(pageCsp);
	});

	it(
		'puts them and a CSP that allows nothing on API answers and refusals',
		{ timeout: 60_000 },
		async () => {
			for (const path of ['/api/health', '/api/config', '/api/orders?q=%00']) {
				const response = await request(path);
				expectSecurityHeaders(response);
				expect(response.headers.get('content-security-policy'), path).toBe(
					"default-src 'none'; frame-ancestors 'none'"
				);
			}
		}
	);

	it('puts them on a response whose headers are immutable', async () => {
		const fetched = Response.redirect('http://pos.test/elsewhere', 302);
		const page = await request('/', {}, () => fetched);
		expectSecurityHeaders(page);
		expect(page.status).toBe(302);
	});
});

describe('hooks.server edge checks', () => {
	it('refuses a body announced above the limit with 413, before asking for a device', async () => {
		const response = await request('/api/sync', {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 2 + 1) },
			body: '{}'
		});
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({ error: 'body_too_large', limit: 10 * 1024 ** 2 });
	});

	it('refuses a NUL in an API query string with 400, before asking for a device', async () => {
		const response = await request('/api/orders?day=2026-01-01&q=%00');
		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({ error: 'bad_query', issues: [{ path: 'q' }] });
	});
});
