/**
 * The IOT Pay driver against a stand-in for the POS server's two routes (the `fetch` edge): what it
 * asks the server, and what the journal gets back.
 */
import { describe, expect, it } from 'vitest';
import { TerminalError, type TerminalConfig } from '../driver';
import { IotPayPaxDriver, REFUND_ON_TERMINAL } from './iotpay-driver';

const config: TerminalConfig = {
	id: 'pax-1',
	name: 'IOT Pay (PAX)',
	rail: 'iotpay-pax',
	currency: 'CAD',
	params: { deviceName: 'V1', jobNo: 'job' }
};

type Answer = { status: number; body: unknown } | 'network-error';

/** Answers the requests in turn and keeps what was asked. */
function server(answers: Answer[]) {
	const asked: { method: string; url: string; headers: Headers; body: unknown }[] = [];
	const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
		asked.push({
			method: init?.method ?? 'GET',
			url: String(input),
			headers: new Headers(init?.headers),
			body: init?.body ? JSON.parse(String(init.body)) : undefined
		});
		const answer = answers.shift();
		if (!answer || answer === 'network-error') throw new TypeError('Failed to fetch');
		return new Response(JSON.stringify(answer.body), {
			status: answer.status,
			headers: { 'content-type': 'application/json' }
		});
	}) as typeof globalThis.fetch;
	return { fetch, asked };
}

const sale = { merchantOrderNo: 'POS1abc', amount: 1250, tip: 150, currency: 'CAD' };
const approved = {
	status: 'approved',
	reference: '724172',
	cardBrand: 'VISA',
	maskedCard: '•••• 4242',
	authCode: 'A00001'
};

function driver(answers: Answer[]) {
	const s = server(answers);
	const d = new IotPayPaxDriver(config, {
		deviceToken: 'device-token-0123456789',
		staffSession: () => 'staff-session',
		fetch: s.fetch
	});
	return { driver: d, asked: s.asked };
}

async function failure(promise: Promise<unknown>): Promise<TerminalError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(TerminalError);
	return error as TerminalError;
}

describe('the IOT Pay (PAX) driver', () => {
	it('starts the sale on the server, then long-polls it until the card is done', async () => {
		const { driver: d, asked } = driver([
			{ status: 200, body: { merchantOrderNo: 'POS1abc', state: 'sent' } },
			{ status: 200, body: { merchantOrderNo: 'POS1abc', state: 'approved', outcome: approved } }
		]);
		expect(await d.sale(sale)).toEqual(approved);
		expect(asked[0]).toMatchObject({
			method: 'POST',
			url: '/api/rails/iotpay-pax/sales',
			body: { terminalId: 'pax-1', merchantOrderNo: 'POS1abc', amount: 1250, tip: 150 }
		});
		expect(asked[0]!.headers.get('authorization')).toBe('Bearer device-token-0123456789');
		expect(asked[0]!.headers.get('x-staff-session')).toBe('staff-session');
		expect(asked[1]).toMatchObject({
			method: 'GET',
			url: '/api/rails/iotpay-pax/sales/POS1abc?wait=25&terminal=pax-1'
		});
	});

	it('a refusal (the wrong merchant key) was not charged: an error that never reached the card', async () => {
		const { driver: d } = driver([
			{
				status: 200,
				body: {
					merchantOrderNo: 'POS1abc',
					state: 'refused',
					keyFault: true,
					message: 'IOTPAY_KEY'
				}
			}
		]);
		const error = await failure(d.sale(sale));
		expect(error).toMatchObject({ code: 'auth', mayHaveReachedTerminal: false });
		expect(error.message).toContain('IOTPAY_KEY');
	});

	it('a server that refuses the start sent nothing; one that vanishes may have', async () => {
		const refused = driver([{ status: 404, body: { error: 'unknown_terminal', message: 'No.' } }]);
		expect(await failure(refused.driver.sale(sale))).toMatchObject({
			mayHaveReachedTerminal: false
		});
		const lost = driver([
			{ status: 200, body: { merchantOrderNo: 'POS1abc', state: 'sent' } },
			'network-error'
		]);
		expect(await failure(lost.driver.sale(sale))).toMatchObject({
			code: 'connection_lost',
			mayHaveReachedTerminal: true
		});
		const silent = driver(['network-error']);
		expect(await failure(silent.driver.sale(sale))).toMatchObject({
			mayHaveReachedTerminal: true
		});
	});

	it('a lost create_order answer is unknown: the journal reconciles it by query', async () => {
		const { driver: d } = driver([
			{ status: 200, body: { merchantOrderNo: 'POS1abc', state: 'unknown', message: 'lost' } }
		]);
		expect(await failure(d.sale(sale))).toMatchObject({
			code: 'timeout',
			mayHaveReachedTerminal: true
		});
	});

	it('query answers what the server knows, without waiting', async () => {
		const { driver: d, asked } = driver([
			{ status: 200, body: { merchantOrderNo: 'POS1abc', state: 'unknown' } },
			{ status: 200, body: { merchantOrderNo: 'POS1abc', state: 'approved', outcome: approved } },
			{ status: 200, body: { merchantOrderNo: 'POS1abc', state: 'refused', message: 'never' } }
		]);
		const q = { merchantOrderNo: 'POS1abc', kind: 'sale' as const, amount: 1250, currency: 'CAD' };
		expect((await d.query(q)).status).toBe('unknown');
		expect(await d.query(q)).toEqual(approved);
		expect(await d.query(q)).toEqual({ status: 'cancelled', message: 'never' });
		expect(asked[0]!.url).toBe('/api/rails/iotpay-pax/sales/POS1abc?wait=0&terminal=pax-1');
	});

	it('never answers malformed server text as approved', async () => {
		const { driver: d } = driver([
			{ status: 200, body: { merchantOrderNo: 'POS1abc', state: 'approved' } }
		]);
		expect(await failure(d.sale(sale))).toMatchObject({ mayHaveReachedTerminal: true });
	});

	it('says that refunds and cancels happen on the terminal', async () => {
		const { driver: d } = driver([]);
		expect(d.capabilities).toMatchObject({ refund: false, void: false });
		expect(d.capabilities.refundNote).toBe(REFUND_ON_TERMINAL);
		const cancel = await failure(d.cancel('POS1abc'));
		expect(cancel.code).toBe('unsupported');
		expect(cancel.message).toMatch(/on the terminal/);
	});
});
