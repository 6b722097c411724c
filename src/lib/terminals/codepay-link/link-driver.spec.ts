/**
 * The pay-by-link driver against a fake POS server at the fetch edge: a sale opens one checkout
 * with the order's lines, tells its page to the panel, sends the browser there in kiosk mode, and
 * resolves when the server's order is final; a tip the POS added is charged with the sale and
 * kept apart in the outcome; a refund names the original; a query of a checkout the server never
 * opened is declined.
 */
import { describe, expect, it } from 'vitest';
import type { TerminalConfig } from '../driver';
import { PayByLinkDriver, type LinkPage } from './link-driver';

const config = (params: TerminalConfig['params'] = {}): TerminalConfig => ({
	id: 'link-1',
	name: 'Pay by link',
	rail: 'codepay-link',
	currency: 'USD',
	params
});

interface Seen {
	method: string;
	path: string;
	body?: Record<string, unknown>;
}

/** A server whose order becomes `final` on the first GET after `settleAfter` asks. */
function fakeServer(final: Record<string, unknown>, status = 200) {
	const seen: Seen[] = [];
	const order = {
		merchantOrderNo: 'A1',
		state: 'sent',
		payUrl: 'https://gw.example/checkout/abc',
		expiresAt: Date.now() + 600_000
	};
	const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const url = new URL(String(input), 'http://pos.test');
		const method = init?.method ?? 'GET';
		seen.push({
			method,
			path: url.pathname,
			body: init?.body ? JSON.parse(String(init.body)) : undefined
		});
		if (url.pathname.endsWith('/events')) return new Response('', { status: 503 });
		if (status !== 200) {
			return Response.json({ error: 'unknown_order', message: 'no' }, { status });
		}
		if (method === 'GET') return Response.json({ order: { ...order, ...final } });
		return Response.json({ order });
	}) as typeof globalThis.fetch;
	return { fetch, seen };
}

describe('the pay-by-link driver', () => {
	it('opens one checkout with the lines, shows its page, and resolves on the final order', async () => {
		const server = fakeServer({
			state: 'approved',
			outcome: { status: 'approved', amount: 1300, reference: 'T1' }
		});
		const driver = new PayByLinkDriver(config(), { fetch: server.fetch });
		const pages: LinkPage[] = [];
		driver.onPage((page) => pages.push(page));
		const outcome = await driver.sale({
			merchantOrderNo: 'A1',
			amount: 1200,
			tip: 100,
			currency: 'USD',
			lines: [{ name: 'Tea', quantity: 1, unitPrice: 1200, amount: 1200 }]
		});
		expect(outcome).toMatchObject({ status: 'approved', amount: 1200, tip: 100, reference: 'T1' });
		expect(pages).toEqual([
			expect.objectContaining({ merchantOrderNo: 'A1', payUrl: 'https://gw.example/checkout/abc' })
		]);
		const opened = server.seen.filter((s) => s.path.endsWith('/checkouts'));
		expect(opened).toHaveLength(1);
		expect(opened[0]).toMatchObject({
			method: 'POST',
			path: '/api/rails/codepay-link/checkouts',
			body: { merchantOrderNo: 'A1', amount: 1300, mode: 'link', lines: [{ name: 'Tea' }] }
		});
		expect(await driver.page('A1')).toMatchObject({ payUrl: 'https://gw.example/checkout/abc' });
		await driver.disconnect();
	}, 10_000);

	it('sends this browser to the page in kiosk mode', async () => {
		const server = fakeServer({ state: 'declined', outcome: { status: 'declined' } });
		const visited: string[] = [];
		const driver = new PayByLinkDriver(config({ kiosk: true }), {
			fetch: server.fetch,
			navigate: (url) => visited.push(url)
		});
		const outcome = await driver.sale({
			merchantOrderNo: 'A1',
			amount: 500,
			tip: 0,
			currency: 'USD'
		});
		expect(outcome.status).toBe('declined');
		expect(visited).toEqual(['https://gw.example/checkout/abc']);
		expect(server.seen.find((s) => s.path.endsWith('/checkouts'))?.body?.mode).toBe('kiosk');
		await driver.disconnect();
	}, 10_000);

	it('refunds against the original, and declines a query the server never opened', async () => {
		const server = fakeServer({ state: 'approved', outcome: { status: 'approved', amount: 300 } });
		const driver = new PayByLinkDriver(config(), { fetch: server.fetch });
		const refunded = await driver.refund({
			merchantOrderNo: 'R1',
			origMerchantOrderNo: 'A1',
			amount: 300,
			currency: 'USD'
		});
		expect(refunded).toMatchObject({ status: 'approved', amount: 300 });
		expect(server.seen.find((s) => s.path.endsWith('/refunds'))?.body).toEqual({
			terminalId: 'link-1',
			merchantOrderNo: 'R1',
			origMerchantOrderNo: 'A1',
			amount: 300,
			currency: 'USD'
		});
		const missing = new PayByLinkDriver(config(), { fetch: fakeServer({}, 404).fetch });
		expect(
			await missing.query({ merchantOrderNo: 'X', kind: 'sale', amount: 1, currency: 'USD' })
		).toMatchObject({ status: 'declined' });
		await expect(
			driver.void({ merchantOrderNo: 'V', origMerchantOrderNo: 'A1', amount: 1, currency: 'USD' })
		).rejects.toMatchObject({ code: 'unsupported', mayHaveReachedTerminal: false });
	}, 10_000);
});
