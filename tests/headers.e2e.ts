/**
 * Security headers (issue 8 §5: "the POS can be framed by any page"): what a browser is told on
 * every response, that another page cannot frame the till, that the till still loads, registers
 * its service worker and sells under its CSP, and that HSTS is sent over TLS only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, request, test, type APIResponse } from '@playwright/test';
import { addProduct, openTill } from './fixtures';
import { startPosServer, throwawayCertificate } from './pos-server';

function expectSecurityHeaders(response: APIResponse, what: string): void {
	const headers = response.headers();
	expect(headers['x-frame-options'], what).toBe('DENY');
	expect(headers['x-content-type-options'], what).toBe('nosniff');
	expect(headers['referrer-policy'], what).toBe('no-referrer');
	const permissions = headers['permissions-policy'] ?? '';
	expect(permissions, what).toContain('serial=(self)');
	expect(permissions, what).toContain('local-network-access=(self)');
	expect(permissions, what).toContain('camera=()');
	expect(permissions, what).toContain('geolocation=()');
}

function directives(csp: string | undefined): Map<string, string[]> {
	return new Map(
		(csp ?? '')
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...values]) => [name!, values])
	);
}

test('pages, API answers and static files carry the security headers, and no HSTS over http', async ({
	request: api
}) => {
	const page = await api.get('/');
	expect(page.status()).toBe(200);
	expectSecurityHeaders(page, 'page');
	const pageCsp = directives(page.headers()['content-security-policy']);
	expect(pageCsp.get('frame-ancestors')).toEqual(["'none'"]);
	expect(pageCsp.get('default-src')).toEqual(["'self'"]);
	expect(pageCsp.get('object-src')).toEqual(["'none'"]);
	// Scripts only from the server, and the one inline start-up script by its hash.
	const scripts = pageCsp.get('script-src') ?? [];
	expect(scripts).toContain("'self'");
	expect(scripts.some((s) => s.startsWith("'sha256-"))).toBe(true);
	expect(scripts).not.toContain("'unsafe-inline'");
	// LAN terminals (ws://) and the relay (wss://).
	expect(pageCsp.get('connect-src')).toEqual(expect.arrayContaining(["'self'", 'ws:', 'wss:']));

	for (const [what, response] of [
		['API answer', await api.get('/api/health')],
		['API refusal', await api.get('/api/config')],
		['unknown API route', await api.get('/api/nothing-here')]
	] as const) {
		expectSecurityHeaders(response, what);
		const csp = directives(response.headers()['content-security-policy']);
		expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
		expect(csp.get('default-src'), what).toEqual(["'none'"]);
	}

	const asset = await api.get('/icon-192.png');
	expect(asset.status()).toBe(200);
	expectSecurityHeaders(asset, 'static file');

	// The build's scripts and style sheets carry what applies to them; the framing, opener and
	// permission policies, which govern documents, are left off the thirty-odd files of a load.
	const script = /\/_app\/immutable\/[^"]+\.js/.exec(await page.text())?.[0];
	expect(script, 'a script of the build, named by the page').toBeTruthy();
	const subresource = await api.get(script!);
	expect(subresource.status()).toBe(200);
	expect(subresource.headers()['x-content-type-options']).toBe('nosniff');
	expect(subresource.headers()['referrer-policy']).toBe('no-referrer');
	expect(subresource.headers()['permissions-policy']).toBeUndefined();
	// Named by its content and immutable for a year: nothing for a browser to revalidate.
	expect(subresource.headers()['cache-control']).toContain('immutable');
	expect(subresource.headers()['etag']).toBeUndefined();
	expect(subresource.headers()['last-modified']).toBeUndefined();

	for (const response of [page, asset, subresource, await api.get('/api/health')])
		expect(response.headers()['strict-transport-security']).toBeUndefined();
});

test('another page cannot frame the till', async ({ page, baseURL }) => {
	const requested: string[] = [];
	page.on('request', (r) => requested.push(r.url()));
	// Any other page (here about:blank) embedding the till, as a clickjacking page would.
	await page.setContent(`<iframe src="${baseURL}/"></iframe>`, { waitUntil: 'load' });
	const frame = page.frames().find((f) => f !== page.mainFrame());
	// The browser refuses to render it: the frame shows its error page, not the till, and the
	// till's scripts are never fetched.
	await expect.poll(() => frame?.url()).toMatch(/^chrome-error:/);
	expect(requested.filter((url) => url.includes('/_app/'))).toEqual([]);
});

test('under its CSP the till loads, registers its service worker and sells', async ({ page }) => {
	const violations: string[] = [];
	await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) =>
			(window as unknown as { reportViolation(v: string): void }).reportViolation(
				`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`
			)
		);
	});
	page.on('console', (message) => {
		if (/Content Security Policy|Permissions policy/i.test(message.text()))
			violations.push(message.text());
	});

	const shell = page.waitForResponse((r) => r.request().resourceType() === 'document');
	await openTill(page);
	expect((await shell).headers()['content-security-policy']).toContain("frame-ancestors 'none'");
	const registered = await page.evaluate(async () => {
		const registration = await navigator.serviceWorker.ready;
		return registration.active?.scriptURL ?? null;
	});
	expect(registered).toMatch(/\/service-worker\.js$/);
	// The tiles take their colour from a style: directive, which the CSP must let through.
	const tile = page.locator('.tile').first();
	expect(await tile.evaluate((el) => el.style.getPropertyValue('--tile'))).toMatch(/^#/);

	await addProduct(page, 'Caffè Latte');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('tab', { name: 'Cash' }).click();
	await page.getByLabel('Amount tendered').fill('20');
	await page.getByRole('button', { name: 'Take cash' }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	expect(violations).toEqual([]);
});

test('over TLS every response also carries HSTS', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'pos-hsts-e2e-'));
	const { cert, key } = throwawayCertificate(dir);
	const server = await startPosServer({ POS_TLS_CERT: cert, POS_TLS_KEY: key });
	const api = await request.newContext({ baseURL: server.origin, ignoreHTTPSErrors: true });
	try {
		for (const [what, path] of [
			['page', '/'],
			['API answer', '/api/health'],
			['static file', '/icon-192.png']
		]) {
			const response = await api.get(path!);
			expect(response.status(), what).toBe(200);
			expectSecurityHeaders(response, what!);
			expect(response.headers()['strict-transport-security'], what).toMatch(/^max-age=\d{7,}/);
		}
	} finally {
		await api.dispose();
		await server.stop();
		rmSync(dir, { recursive: true, force: true });
	}
});
