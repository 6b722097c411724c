/**
 * The browser side of the relay's refusals and credentials: a scripted `ws` server on loopback
 * plays the relay (or, for the direct case, a terminal).
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodePayLanClient } from './client';
import { relayProtocols, relayRefusalFrame } from './relay-protocol';

let server: WebSocketServer;
let client: CodePayLanClient | undefined;
/** The subprotocols of every connection the server accepted, and its sockets. */
let offered: (string | undefined)[];
let sockets: WebSocket[];

beforeEach(async () => {
	offered = [];
	sockets = [];
	server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	await new Promise((resolve) => server.once('listening', resolve));
	server.on('connection', (socket, request: IncomingMessage) => {
		offered.push(request.headers['sec-websocket-protocol']);
		sockets.push(socket);
		// Refuses every request, as the relay does one without a manager's approval.
		socket.on('message', (data) => {
			const { request_id } = JSON.parse(data.toString()) as { request_id: string };
			socket.send(relayRefusalFrame({ request_id, reason: 'approval_required', message: 'No.' }));
		});
	});
});

afterEach(async () => {
	await client?.disconnect();
	client = undefined;
	await new Promise((resolve) => server.close(resolve));
});

function open(options: Partial<ConstructorParameters<typeof CodePayLanClient>[0]>) {
	const { port } = server.address() as AddressInfo;
	client = new CodePayLanClient({
		url: `ws://127.0.0.1:${port}`,
		appId: 'APP',
		WebSocketImpl: WebSocket,
		heartbeatMs: 0,
		reconnect: { initialMs: 10, maxMs: 20, jitter: 0 },
		logger: { debug: () => {}, warn: () => {} },
		...options
	});
	return client;
}

const refund = { merchant_order_no: 'R1' };

describe('a relay refusal', () => {
	it('through the relay: the request fails as not sent, with the relay’s words', async () => {
		const relayed = open({ relayed: true });
		await relayed.connect();
		const error = await relayed
			.request('ecrhub.pay.order', refund, { timeoutMs: 10_000, merchantOrderNo: 'R1' })
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'auth', message: 'No.', mayHaveReachedTerminal: false });
	});

	it('from a terminal reached directly is not believed: the request stays in doubt', async () => {
		const direct = open({ relayed: false });
		await direct.connect();
		const error = await direct
			.request('ecrhub.pay.order', refund, { timeoutMs: 300, merchantOrderNo: 'R1' })
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'timeout', mayHaveReachedTerminal: true });
	});
});

describe('the relay credentials', () => {
	it('are asked for again at each reconnect, so a new sign-in is carried', async () => {
		let session = 'v1.first.sig';
		const relayed = open({ relayed: true, protocols: () => relayProtocols('devtoken', session) });
		await relayed.connect();
		session = 'v1.second.sig';
		sockets[0]?.terminate();
		await expect.poll(() => offered.length).toBe(2);
		expect(offered).toEqual([
			'pos-relay,token.devtoken,session.v1.first.sig',
			'pos-relay,token.devtoken,session.v1.second.sig'
		]);
	});
});
