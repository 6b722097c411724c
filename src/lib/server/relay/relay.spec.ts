/**
 * The relay as production wires it (`relayForEnv`: the app's runtime, an in-memory PGlite store,
 * device tokens and staff sessions checked by the API guard's code), between real `ws` clients and
 * loopback terminals: an echo server and the CodePay Register simulator. Loopback, free ports only.
 * What the relay lets through is in `relay-approvals.spec.ts`; who it lets in, in
 * `relay-session.spec.ts`.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	startCodePaySimulator,
	type CodePaySimulator
} from '../../../../simulators/codepay-register/server.js';
import { CodePayLanDriver, testConnection } from '$lib/terminals/codepay-lan/lan-driver';
import { RELAY_CLOSE, RELAY_PATH, relayProtocols } from '$lib/terminals/codepay-lan/relay-protocol';
import { buildEnvelope } from '$lib/terminals/codepay-lan/codec';
import { hashPin } from '../auth/pin';
import { signSession } from '../auth/session-token';
import { hashToken, newDeviceToken } from '../auth/tokens';
import { getRuntime } from '../boot';
import { relayForEnv } from './publish';
import type { Relay } from './relay';

const MAX_FRAME = 64 * 1024;

interface Terminal {
	wss: WebSocketServer;
	port: number;
	/** Every connection the terminal accepted, with the headers it saw. */
	connections: { socket: WebSocket; headers: Record<string, unknown> }[];
}

/** A loopback "terminal" that echoes every frame as it came (text as text, binary as binary). */
async function echoTerminal(): Promise<Terminal> {
	const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 4 * MAX_FRAME });
	await new Promise((resolve) => wss.once('listening', resolve));
	const terminal: Terminal = { wss, port: (wss.address() as AddressInfo).port, connections: [] };
	wss.on('connection', (socket, request) => {
		terminal.connections.push({ socket, headers: request.headers });
		socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
	});
	return terminal;
}

async function freePort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as AddressInfo;
	await new Promise((resolve) => probe.close(resolve));
	return port;
}

let echo: Terminal;
let sim: CodePaySimulator;
let deadPort: number;
let token: string;
let session: string;
let env: Record<string, string>;
const servers: { server: Server; relay: Relay }[] = [];
const clients: WebSocket[] = [];
const lines: string[] = [];

/** A relay on a loopback HTTP server, as `server/index.js` wires it. */
async function startRelay(extraEnv: Record<string, string> = {}): Promise<string> {
	const relay = relayForEnv({ ...env, ...extraEnv }, (line) => lines.push(line));
	const server = createServer((_req, res) => res.writeHead(404).end());
	server.on('upgrade', (request, socket, head) => {
		if (relay.matches(request.url)) void relay.handleUpgrade(request, socket, head);
		else socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	servers.push({ server, relay });
	return `ws://127.0.0.1:${(server.address() as AddressInfo).port}${RELAY_PATH}`;
}

let relayUrl: string;

function connect(
	terminal: string,
	protocols: string[] = relayProtocols(token, session),
	base = relayUrl
) {
	const socket = new WebSocket(`${base}?terminal=${encodeURIComponent(terminal)}`, protocols);
	socket.on('error', () => {});
	clients.push(socket);
	return socket;
}

function opened(socket: WebSocket): Promise<void> {
	return new Promise((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('close', (code) => reject(new Error(`closed ${code} before opening`)));
	});
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
	return new Promise((resolve) =>
		socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
	);
}

function nextMessage(socket: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
	return new Promise((resolve) =>
		socket.once('message', (data: RawData, isBinary) => resolve({ data: data as Buffer, isBinary }))
	);
}

beforeAll(async () => {
	echo = await echoTerminal();
	sim = await startCodePaySimulator({ port: 0, host: '127.0.0.1', appId: 'APP1', cardMs: 20 });
	deadPort = await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'pos-relay-'));
	const lan = (id: string, port: number, appId = 'APP1') => ({
		id,
		name: id,
		rail: 'codepay-lan',
		currency: 'USD',
		params: { host: '127.0.0.1', port, appId }
	});
	writeFileSync(
		join(dir, 'pos.json'),
		JSON.stringify({
			storeName: 'Relay Test',
			currency: 'USD',
			pairingCode: '123456',
			sessionSecret: 'relay-test-session-secret-0123456789',
			staff: [{ id: 's', name: 'Sam', role: 'cashier', pinHash: await hashPin('1111', 1024) }],
			terminals: [
				lan('echo-1', echo.port),
				lan('sim-lan', sim.port),
				lan('dead-1', deadPort),
				// Same address as a LAN terminal, but another rail: never relayed.
				{ ...lan('cloud-1', echo.port), rail: 'codepay-cloud' }
			]
		})
	);
	env = { POS_CONFIG: join(dir, 'pos.json'), POS_DATA_DIR: 'memory://' };
	const rt = await getRuntime(env);
	token = newDeviceToken();
	await rt.store.createDevice({ id: 'dev-1', name: 'Till 1', tokenHash: hashToken(token), now: 0 });
	session = signSession(
		{ staffId: 's', deviceId: 'dev-1', exp: Date.now() + 3_600_000 },
		rt.config.sessionSecret
	);
	relayUrl = await startRelay({ POS_RELAY_MAX_FRAME_BYTES: String(MAX_FRAME) });
}, 60_000);

afterEach(() => {
	for (const socket of clients.splice(0)) socket.on('error', () => {}).terminate();
});

afterAll(async () => {
	for (const { server, relay } of servers) {
		relay.close();
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	}
	await new Promise((resolve) => echo.wss.close(resolve));
	await sim.close();
	await (await getRuntime(env)).store.close();
});

describe('an authenticated device', () => {
	it('is piped to its terminal: requests as sent, and text and binary back, unchanged', async () => {
		const before = echo.connections.length;
		const client = connect('echo-1');
		await opened(client);
		expect(client.protocol).toBe('pos-relay');
		const text = nextMessage(client);
		const heartbeat = JSON.stringify(
			buildEnvelope('ecrhub.heartbeat', { note: 'ü' }, { appId: 'APP1' })
		);
		client.send(heartbeat);
		expect(await text).toEqual({ data: Buffer.from(heartbeat), isBinary: false });
		const bytes = Buffer.from([0xff, 0x00, 0x2f, 0x6e]);
		const binary = nextMessage(client);
		echo.connections[before]?.socket.send(bytes);
		expect(await binary).toEqual({ data: bytes, isBinary: true });
		// The terminal never sees the token or the session, nor any subprotocol.
		const seen = echo.connections[before]?.headers;
		expect(seen?.['sec-websocket-protocol']).toBeUndefined();
		expect(JSON.stringify(seen)).not.toContain(token);
		expect(JSON.stringify(seen)).not.toContain(session);
		expect(lines.join('\n')).not.toContain(token);
		expect(lines.join('\n')).not.toContain(session);
		expect(
			lines.some(
				(l) => l.includes('device dev-1 (staff s) → terminal echo-1') && l.includes('connected')
			)
		).toBe(true);
	});

	it('keeps order and loses nothing when the far side reads slowly (backpressure)', async () => {
		const client = connect('echo-1');
		await opened(client);
		const received: number[] = [];
		const all = new Promise<void>((resolve) =>
			client.on('message', (data: Buffer) => {
				received.push(Number((JSON.parse(data.toString()) as { request_id: string }).request_id));
				if (received.length === 300) resolve();
			})
		);
		const pad = 'x'.repeat(32 * 1024);
		for (let i = 0; i < 300; i++) {
			const options = { appId: 'APP1', requestId: String(i) };
			client.send(JSON.stringify(buildEnvelope('ecrhub.heartbeat', { pad }, options)));
		}
		await all;
		expect(received).toEqual([...Array(300).keys()]);
	});

	it('pays through the relay with the CodePay driver, as an https page does', async () => {
		const driver = new CodePayLanDriver(
			{
				id: 'sim-lan',
				currency: 'USD',
				// What the tablet knows; the relay uses the server's own address for this id.
				params: { host: '192.0.2.10', appId: 'APP1', relayUrl: `${relayUrl}?terminal=sim-lan` }
			},
			{
				WebSocketImpl: WebSocket,
				pageUrl: 'https://pos.shop.test/',
				relayToken: token,
				relaySession: () => session,
				heartbeatMs: 0
			}
		);
		expect(driver.connection.mode).toBe('relay');
		await driver.connect();
		const outcome = await driver.sale({
			merchantOrderNo: 'R1',
			amount: 1234,
			tip: 0,
			currency: 'USD'
		});
		expect(outcome.status).toBe('approved');
		expect(sim.salesFor('R1')).toHaveLength(1);
		await driver.disconnect();
	});
});

describe('the browser side', () => {
	it('never sends the device token or the session to a terminal it reaches directly', async () => {
		const before = echo.connections.length;
		const driver = new CodePayLanDriver(
			{ id: 'echo-1', currency: 'USD', params: { host: '127.0.0.1', port: echo.port, appId: 'A' } },
			{
				WebSocketImpl: WebSocket,
				pageUrl: 'http://localhost:3000/',
				relayToken: token,
				relaySession: () => session
			}
		);
		expect(driver.connection.mode).toBe('direct');
		await driver.connect();
		expect(echo.connections[before]?.headers['sec-websocket-protocol']).toBeUndefined();
		await driver.disconnect();
	});

	it("tests a terminal through the relay and shows the relay's reason when it refuses", async () => {
		const params = { host: '192.0.2.10', appId: 'APP1', relayUrl: `${relayUrl}?terminal=nope` };
		const result = await testConnection(params, {
			WebSocketImpl: WebSocket,
			pageUrl: 'https://pos.shop.test/settings',
			terminalId: 'nope',
			relayToken: token,
			staffSession: session,
			timeoutMs: 2000
		});
		expect(result.ok).toBe(false);
		expect(result.message).toContain('no CodePay LAN terminal with this id');
		const good = await testConnection(
			{ ...params, relayUrl: `${relayUrl}?terminal=sim-lan` },
			{
				WebSocketImpl: WebSocket,
				pageUrl: 'https://pos.shop.test/',
				terminalId: 'sim-lan',
				relayToken: token,
				staffSession: session
			}
		);
		expect(good).toMatchObject({ ok: true });
	});
});

describe('refusals', () => {
	it('closes 4401 without a token or with a wrong one, and never dials the terminal', async () => {
		const before = echo.connections.length;
		const none = connect('echo-1', ['pos-relay']);
		expect(await closed(none)).toMatchObject({ code: RELAY_CLOSE.unauthorised });
		const wrong = connect('echo-1', relayProtocols(newDeviceToken(), session));
		expect(await closed(wrong)).toMatchObject({ code: RELAY_CLOSE.unauthorised });
		const garbage = connect('echo-1', ['pos-relay', 'token.x']);
		expect(await closed(garbage)).toMatchObject({ code: RELAY_CLOSE.unauthorised });
		expect(echo.connections.length).toBe(before);
	});

	it('answers 400 to a client that does not speak the relay protocol', async () => {
		const client = new WebSocket(`${relayUrl}?terminal=echo-1`);
		clients.push(client);
		const status = await new Promise<number>((resolve) =>
			client.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
		);
		expect(status).toBe(400);
	});

	it('closes 4404 for ids that are not a configured codepay-lan terminal, dialing nothing', async () => {
		const before = echo.connections.length;
		for (const id of [
			'nope',
			'cloud-1',
			'',
			`127.0.0.1:${echo.port}`,
			`ws://127.0.0.1:${echo.port}`
		]) {
			const client = connect(id);
			expect(await closed(client), id).toMatchObject({ code: RELAY_CLOSE.unknownTerminal });
		}
		// An address smuggled in the query changes nothing either.
		const smuggled = new WebSocket(
			`${relayUrl}?terminal=nope&host=127.0.0.1&port=${echo.port}`,
			relayProtocols(token, session)
		);
		smuggled.on('error', () => {});
		clients.push(smuggled);
		expect(await closed(smuggled)).toMatchObject({ code: RELAY_CLOSE.unknownTerminal });
		expect(echo.connections.length).toBe(before);
	});

	it('closes 4502 when the terminal does not accept the connection', async () => {
		const client = connect('dead-1');
		expect(await closed(client)).toMatchObject({ code: RELAY_CLOSE.terminalUnreachable });
	});

	it('closes 4503 beyond the connection limit', async () => {
		const url = await startRelay({ POS_RELAY_MAX_CONNECTIONS: '1' });
		const first = connect('echo-1', relayProtocols(token, session), url);
		await opened(first);
		const second = connect('echo-1', relayProtocols(token, session), url);
		expect(await closed(second)).toMatchObject({ code: RELAY_CLOSE.unavailable });
	});
});

describe('closing', () => {
	it('closes the terminal side when the browser closes', async () => {
		const before = echo.connections.length;
		const client = connect('echo-1');
		await opened(client);
		const far = echo.connections[before]?.socket as WebSocket;
		const farClosed = closed(far);
		client.close(1000);
		expect((await farClosed).code).toBe(1000);
	});

	it('passes the terminal close code on, and a dropped terminal becomes 4502', async () => {
		let before = echo.connections.length;
		const polite = connect('echo-1');
		await opened(polite);
		echo.connections[before]?.socket.close(4000, 'bye');
		expect(await closed(polite)).toEqual({ code: 4000, reason: 'bye' });

		before = echo.connections.length;
		const dropped = connect('echo-1');
		await opened(dropped);
		echo.connections[before]?.socket.terminate();
		expect(await closed(dropped)).toMatchObject({ code: RELAY_CLOSE.terminalUnreachable });
	});

	it('rejects an oversized frame with 1009 and closes the terminal side', async () => {
		const before = echo.connections.length;
		const client = connect('echo-1');
		await opened(client);
		const farClosed = closed(echo.connections[before]?.socket as WebSocket);
		client.send(Buffer.alloc(MAX_FRAME + 1));
		expect((await closed(client)).code).toBe(1009);
		await farClosed;
	});

	it('rejects an oversized frame from the terminal with 1009', async () => {
		const before = echo.connections.length;
		const client = connect('echo-1');
		await opened(client);
		echo.connections[before]?.socket.send(Buffer.alloc(MAX_FRAME + 1));
		expect((await closed(client)).code).toBe(1009);
	});

	it('closes both sides with 4408 after the idle timeout', async () => {
		const url = await startRelay({ POS_RELAY_IDLE_MS: '150' });
		const before = echo.connections.length;
		const client = connect('echo-1', relayProtocols(token, session), url);
		await opened(client);
		const farClosed = closed(echo.connections[before]?.socket as WebSocket);
		expect(await closed(client)).toMatchObject({ code: RELAY_CLOSE.idle });
		await farClosed;
	});
});
