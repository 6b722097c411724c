/**
 * Client behaviours that need a terminal misbehaving in exact ways: a scripted `ws` server on
 * loopback plays the terminal.
 */
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodePayLanClient, type ClientEvent } from './client';

type Frame = Record<string, unknown>;
let server: WebSocketServer;
let terminal: WebSocket | undefined;
let received: Frame[];
let client: CodePayLanClient | undefined;
let events: ClientEvent[];
let warnings: string[];

function reply(request: Frame, fields: Frame): void {
	terminal?.send(
		JSON.stringify({ topic: request.topic, request_id: request.request_id, ...fields })
	);
}

const nextRequest = (topic = 'ecrhub.pay.order'): Promise<Frame> =>
	new Promise((resolve) => {
		const check = () => {
			const found = received.find((f) => f.topic === topic);
			if (found) {
				received.splice(received.indexOf(found), 1);
				resolve(found);
			} else setTimeout(check, 5);
		};
		check();
	});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect(options: Partial<ConstructorParameters<typeof CodePayLanClient>[0]> = {}) {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	client = new CodePayLanClient({
		url: `ws://127.0.0.1:${port}`,
		appId: 'APP',
		WebSocketImpl: WebSocket,
		heartbeatMs: 0,
		reconnect: { initialMs: 20, maxMs: 100 },
		logger: { debug: () => {}, warn: (m) => warnings.push(m) },
		...options
	});
	client.on((event) => events.push(event));
	await client.connect();
}

beforeEach(async () => {
	received = [];
	events = [];
	warnings = [];
	server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	await new Promise((resolve) => server.once('listening', resolve));
	server.on('connection', (socket) => {
		terminal = socket;
		socket.on('message', (data) => received.push(JSON.parse(data.toString()) as Frame));
	});
});

afterEach(async () => {
	await client?.disconnect();
	client = undefined;
	for (const socket of server.clients) socket.terminate();
	await new Promise((resolve) => server.close(resolve));
});

const order = (no: string) => ({ trans_type: '1', merchant_order_no: no, order_amount: '1.00' });

describe('CodePayLanClient', () => {
	it('waits past an "in progress" answer for the final one', async () => {
		await connect();
		const result = client!.request('ecrhub.pay.order', order('A1'), {
			timeoutMs: 1000,
			exclusive: true,
			merchantOrderNo: 'A1'
		});
		const request = await nextRequest();
		reply(request, {
			response_code: '000',
			biz_data: { merchant_order_no: 'A1', trans_status: '0' }
		});
		await delay(20);
		expect(client!.status).toBe('busy');
		reply(request, {
			response_code: '000',
			biz_data: { merchant_order_no: 'A1', trans_status: '2' }
		});
		expect((await result).biz_data).toMatchObject({ trans_status: '2' });
		expect(client!.status).toBe('ready');
	});

	it('never settles a request with an answer that names another request', async () => {
		await connect();
		const result = client!.request('ecrhub.pay.order', order('A2'), {
			timeoutMs: 300,
			exclusive: true,
			merchantOrderNo: 'A2'
		});
		const request = await nextRequest();
		// Same order number, different request_id: a stale answer, not this request's.
		reply(
			{ ...request, request_id: 'someone-else' },
			{
				response_code: '000',
				biz_data: { merchant_order_no: 'A2', trans_status: '2' }
			}
		);
		reply(request, {
			response_code: '301',
			response_msg: 'Declined',
			biz_data: { merchant_order_no: 'A2' }
		});
		expect(await result).toMatchObject({ response_code: '301' });
		// The stale approval is passed on as unsolicited (the journal reconciles it), once.
		expect(events.filter((e) => e.type === 'unsolicited')).toHaveLength(1);
	});

	it('never settles a request with an answer that names another order under its request_id', async () => {
		await connect();
		const result = client!.request('ecrhub.pay.order', order('A3'), {
			timeoutMs: 300,
			exclusive: true,
			merchantOrderNo: 'A3'
		});
		const request = await nextRequest();
		reply(request, {
			response_code: '000',
			biz_data: { merchant_order_no: 'OTHER9', trans_status: '2' }
		});
		await expect(result).rejects.toMatchObject({ code: 'timeout', mayHaveReachedTerminal: true });
		expect(events.filter((e) => e.type === 'unsolicited')).toEqual([]);
		expect(warnings.some((w) => /another order/.test(w))).toBe(true);
	});

	it('turns a result nobody waits for into one unsolicited event, ignoring its duplicates', async () => {
		await connect();
		const frame = JSON.stringify({
			topic: 'ecrhub.pay.order',
			response_code: '000',
			biz_data: { merchant_order_no: 'OLD1', trans_status: '2' }
		});
		terminal?.send(frame);
		terminal?.send(frame);
		terminal?.send(
			JSON.stringify({ topic: 'ecrhub.pay.query', request_id: 'zzz', response_code: '000' })
		);
		await delay(50);
		const unsolicited = events.filter((e) => e.type === 'unsolicited');
		expect(unsolicited).toHaveLength(1);
		expect(warnings).toContain('ignored a response that matches no request');
	});

	it('fails a request in flight with mayHaveReachedTerminal when the socket drops, then reconnects', async () => {
		await connect();
		const result = client!.request(
			'ecrhub.pay.query',
			{ merchant_order_no: 'Q1' },
			{ timeoutMs: 1000 }
		);
		await nextRequest('ecrhub.pay.query');
		terminal?.terminate();
		await expect(result).rejects.toMatchObject({
			code: 'connection_lost',
			mayHaveReachedTerminal: true
		});
		await new Promise<void>((resolve) => {
			const check = () =>
				events.some((e) => e.type === 'reconnected') ? resolve() : setTimeout(check, 5);
			check();
		});
		expect(client!.status).toBe('ready');
	});

	it('sends heartbeats and drops a socket that went silent after answering them', async () => {
		await connect({ heartbeatMs: 30, deadAfterMs: 80 });
		const beat = await nextRequest('ecrhub.heartbeat');
		expect(beat).toMatchObject({ app_id: 'APP', version: '1.0', biz_data: {} });
		reply(beat, { response_code: '000', biz_data: {} });
		// Now the terminal goes quiet (heartbeats unanswered): the client must give up on the socket.
		await new Promise<void>((resolve) => {
			const check = () =>
				events.some((e) => e.type === 'status' && e.status === 'reconnecting')
					? resolve()
					: setTimeout(check, 5);
			check();
		});
	});

	it('backs off exponentially, capped, with bounded jitter', () => {
		const at = (random: number) =>
			new CodePayLanClient({
				url: 'ws://x',
				appId: 'A',
				reconnect: { initialMs: 1000, maxMs: 30_000, jitter: 0.3 },
				random: () => random
			});
		const low = at(0);
		const high = at(1);
		expect([1, 2, 3, 4].map((n) => high.nextDelay(n))).toEqual([1000, 2000, 4000, 8000]);
		expect(low.nextDelay(1)).toBe(700);
		expect(high.nextDelay(20)).toBe(30_000);
		expect(low.nextDelay(20)).toBe(21_000);
	});

	it('goes offline after repeated failures and keeps trying', async () => {
		const address = server.address();
		const port = typeof address === 'object' && address ? address.port : 0;
		await new Promise((resolve) => server.close(resolve));
		client = new CodePayLanClient({
			url: `ws://127.0.0.1:${port}`,
			appId: 'A',
			WebSocketImpl: WebSocket,
			heartbeatMs: 0,
			offlineAfter: 2,
			reconnect: { initialMs: 10, maxMs: 20 },
			logger: { debug: () => {}, warn: () => {} }
		});
		client.on((event) => events.push(event));
		await expect(client.connect()).rejects.toMatchObject({
			code: 'unreachable',
			mayHaveReachedTerminal: false
		});
		await new Promise<void>((resolve) => {
			const check = () => (client?.status === 'offline' ? resolve() : setTimeout(check, 5));
			check();
		});
		server = new WebSocketServer({ port, host: '127.0.0.1' });
		await new Promise<void>((resolve) => {
			const check = () => (client?.status === 'ready' ? resolve() : setTimeout(check, 5));
			check();
		});
	});
});

describe('a server that accepts and then closes at once (the relay refusing)', () => {
	it('backs off like a failed connection and ends up offline, not flapping to ready', async () => {
		const opened: number[] = [];
		server.removeAllListeners('connection');
		server.on('connection', (socket) => {
			opened.push(Date.now());
			socket.close(4401, 'not paired');
		});
		await connect({ reconnect: { initialMs: 40, maxMs: 10_000, jitter: 0 }, offlineAfter: 3 });
		while (opened.length < 5) await delay(10);
		const gaps = opened.slice(1).map((at, i) => at - (opened[i] ?? at));
		// 40, 80, 160, 320 ms apart: each wait is longer than the one before.
		expect(gaps[3]!).toBeGreaterThan(gaps[0]! * 2);
		expect(events.some((e) => e.type === 'status' && e.status === 'offline')).toBe(true);
	});
});
