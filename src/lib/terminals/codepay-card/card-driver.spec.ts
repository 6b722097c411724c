/**
 * The card-entry driver against a fake POS server (a `fetch` at the edge): it sends only the
 * form's ciphertext, opens a 3-D Secure page and closes it once the server's signed query settles
 * the payment, gives the journal back its amount and tip, and refuses a sale with no card before
 * anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { TerminalError } from '../driver';
import { CodePayCardDriver } from './card-driver';

const CONFIG = {
	id: 'card-1',
	name: 'Card entry',
	rail: 'codepay-card' as const,
	currency: 'USD',
	params: {}
};

function server(answers: unknown[]) {
	const calls: { url: string; method: string; body?: unknown }[] = [];
	const fetch = (async (input: string, init?: RequestInit) => {
		calls.push({
			url: input,
			method: init?.method ?? 'GET',
			body: init?.body ? JSON.parse(String(init.body)) : undefined
		});
		const next = answers.length > 1 ? answers.shift() : answers[0];
		return new Response(JSON.stringify(next), { headers: { 'content-type': 'application/json' } });
	}) as typeof globalThis.fetch;
	return { fetch, calls };
}

const sale = {
	merchantOrderNo: 'CNP1',
	amount: 3000,
	tip: 450,
	currency: 'USD',
	railInput: { card: 'c2VhbGVk', billingAddress: '{"name":"Ada"}' }
};

describe('the card-entry driver', () => {
	it('sends the ciphertext only, and returns the amount and tip the journal recorded', async () => {
		const approved = {
			order: {
				merchantOrderNo: 'CNP1',
				state: 'approved',
				reference: 'T1',
				outcome: {
					status: 'approved',
					amount: 3450,
					cardBrand: 'Visa',
					maskedCard: '411111******1111'
				}
			}
		};
		const { fetch, calls } = server([approved]);
		const driver = new CodePayCardDriver(CONFIG, { fetch, deviceToken: 'dev' });
		const outcome = await driver.sale(sale);
		expect(outcome).toMatchObject({
			status: 'approved',
			amount: 3000,
			tip: 450,
			reference: 'T1',
			maskedCard: '411111******1111'
		});
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({ url: '/api/rails/codepay-card/checkouts', method: 'POST' });
		expect(Object.keys(calls[0]!.body as object).sort()).toEqual(
			[
				'amount',
				'billingAddress',
				'card',
				'currency',
				'merchantOrderNo',
				'terminalId',
				'tip'
			].sort()
		);
	});

	it('opens the 3-D Secure page, asks the server until it is settled, then closes the page', async () => {
		const waiting = {
			order: { merchantOrderNo: 'CNP1', state: 'sent', payUrl: 'http://gw.test/3ds/abc' }
		};
		const declined = {
			order: {
				merchantOrderNo: 'CNP1',
				state: 'declined',
				outcome: { status: 'declined', message: '[3DS]Authentication failed' }
			}
		};
		const { fetch, calls } = server([waiting, waiting, declined]);
		const opened: string[] = [];
		let closed = 0;
		const driver = new CodePayCardDriver(CONFIG, {
			fetch,
			openThreeDs: (url) => {
				opened.push(url);
				return { close: () => void closed++ };
			}
		});
		const outcome = await driver.sale(sale);
		expect(outcome).toMatchObject({ status: 'declined', message: '[3DS]Authentication failed' });
		expect(opened).toEqual(['http://gw.test/3ds/abc']);
		expect(closed).toBe(1);
		expect(calls.slice(1).map((c) => `${c.method} ${c.url}`)).toEqual([
			'GET /api/rails/codepay-card/checkouts/CNP1',
			'GET /api/rails/codepay-card/checkouts/CNP1'
		]);
	}, 15_000);

	it('refuses a sale without the form’s card before anything is sent', async () => {
		const { fetch, calls } = server([{}]);
		const driver = new CodePayCardDriver(CONFIG, { fetch });
		const error = await driver.sale({ ...sale, railInput: undefined }).catch((e) => e);
		expect(error).toBeInstanceOf(TerminalError);
		expect(error).toMatchObject({ code: 'bad_request', mayHaveReachedTerminal: false });
		expect(calls).toHaveLength(0);
	});

	it('says a payment the server never sent was not charged', async () => {
		const fetch = (async () =>
			new Response(JSON.stringify({ error: 'unknown_order', message: 'No such payment.' }), {
				status: 404
			})) as typeof globalThis.fetch;
		const driver = new CodePayCardDriver(CONFIG, { fetch });
		expect(
			await driver.query({ merchantOrderNo: 'CNP9', kind: 'sale', amount: 1, currency: 'USD' })
		).toMatchObject({ status: 'declined' });
	});
});
