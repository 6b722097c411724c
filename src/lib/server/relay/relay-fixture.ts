/**
 * A relay as production wires it (`relayForEnv`: the app's runtime over an in-memory PGlite) on a
 * loopback HTTP server, in front of the CodePay Register simulator and an echo "terminal" that
 * records every frame it receives. Tills are paired devices with real tokens; staff sign in and
 * managers approve through the real API handlers. Test-only: imported by the relay's specs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import {
	startCodePaySimulator,
	type CodePaySimulator
} from '../../../../simulators/codepay-register/server.js';
import { RELAY_PATH, relayProtocols } from '$lib/terminals/codepay-lan/relay-protocol';
import { CodePayLanDriver, type LanDriverDeps } from '$lib/terminals/codepay-lan/lan-driver';
import { managerApproval } from '../api/manager-approval';
import { staffLogin } from '../api/staff-login';
import { call } from '../api/test-harness';
import type { ApprovalScope } from '../approvals/approval-scope';
import { hashPin } from '../auth/pin';
import { hashToken, newDeviceToken } from '../auth/tokens';
import { getRuntime } from '../boot';
import type { Runtime } from '../runtime';
import { relayForEnv } from './publish';
import type { Relay } from './relay';

export const APP_ID = 'APP1';
export const CASHIER_PIN = '1111';
export const MANAGER_PIN = '9999';

export interface EchoTerminal {
	port: number;
	/** Every frame the terminal received, as text (binary frames as `binary:<hex>`). */
	received: string[];
	/** Sends `text` to every connection, unasked. */
	sendToAll(text: string): void;
	close(): Promise<void>;
}

/** A loopback "terminal" that records and echoes every frame. */
async function echoTerminal(): Promise<EchoTerminal> {
	const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	await new Promise((resolve) => wss.once('listening', resolve));
	const received: string[] = [];
	wss.on('connection', (socket) => {
		socket.on('message', (data: Buffer, isBinary) => {
			received.push(isBinary ? `binary:${data.toString('hex')}` : data.toString());
			socket.send(data, { binary: isBinary });
		});
	});
	return {
		port: (wss.address() as AddressInfo).port,
		received,
		sendToAll: (text) => {
			for (const client of wss.clients) client.send(text);
		},
		close: () => new Promise((resolve) => wss.close(() => resolve()))
	};
}

export interface Till {
	deviceId: string;
	token: string;
}

export interface RelayFixture {
	rt: Runtime;
	sim: CodePaySimulator;
	echo: EchoTerminal;
	/** `ws://127.0.0.1:<port>/api/terminals/relay` */
	url: string;
	lines: string[];
	pair(deviceId: string): Promise<Till>;
	/** Signs in with a PIN on `till`, as `/api/auth/login` does; the session token. */
	signIn(till: Till, pin?: string): Promise<string>;
	/** A manager's approval for one operation, issued to `till` by `/api/auth/manager`. */
	approve(till: Till, scope: ApprovalScope): Promise<string>;
	/** A raw relay connection for `terminal` (on the first relay, or the one at `base`). */
	connect(terminal: string, protocols: string[], base?: string): WebSocket;
	/** The LAN driver an https page builds for a server terminal: it goes through the relay. */
	driver(
		till: Till,
		session: string,
		terminal: string,
		params?: Record<string, unknown>,
		deps?: Partial<LanDriverDeps>
	): CodePayLanDriver;
	/** Another relay on the same runtime, with other limits. */
	startRelay(extraEnv: Record<string, string>): Promise<string>;
	close(): Promise<void>;
}

export async function startRelayFixture(
	extraTerminals: (simPort: number, echoPort: number) => Record<string, unknown>[] = () => []
): Promise<RelayFixture> {
	const sim = await startCodePaySimulator({
		port: 0,
		host: '127.0.0.1',
		appId: APP_ID,
		cardMs: 10,
		log: () => {}
	});
	const echo = await echoTerminal();
	const dir = mkdtempSync(join(tmpdir(), 'pos-relay-'));
	const lan = (id: string, port: number, params: Record<string, unknown> = {}) => ({
		id,
		name: id,
		rail: 'codepay-lan',
		currency: 'USD',
		params: { host: '127.0.0.1', port, appId: APP_ID, ...params }
	});
	writeFileSync(
		join(dir, 'pos.json'),
		JSON.stringify({
			storeName: 'Relay Test',
			currency: 'USD',
			pairingCode: '123456',
			sessionSecret: 'relay-test-session-secret-0123456789',
			staff: [
				{ id: 'sam', name: 'Sam', role: 'cashier', pinHash: await hashPin(CASHIER_PIN, 1024) },
				{ id: 'max', name: 'Max', role: 'manager', pinHash: await hashPin(MANAGER_PIN, 1024) }
			],
			terminals: [
				lan('sim-lan', sim.port),
				lan('echo-1', echo.port),
				...extraTerminals(sim.port, echo.port)
			]
		})
	);
	const env = { POS_CONFIG: join(dir, 'pos.json'), POS_DATA_DIR: 'memory://' };
	const rt = await getRuntime(env);
	const lines: string[] = [];
	const servers: { server: Server; relay: Relay }[] = [];
	const sockets: WebSocket[] = [];
	const drivers: CodePayLanDriver[] = [];

	async function startRelay(extraEnv: Record<string, string>): Promise<string> {
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

	const url = await startRelay({});

	return {
		rt,
		sim,
		echo,
		url,
		lines,
		startRelay,
		async pair(deviceId) {
			const token = newDeviceToken();
			await rt.store.createDevice({
				id: deviceId,
				name: deviceId,
				tokenHash: hashToken(token),
				now: rt.now()
			});
			return { deviceId, token };
		},
		async signIn(till, pin = CASHIER_PIN) {
			const result = await call(rt, staffLogin, '/api/auth/login', {
				token: till.token,
				body: { pin }
			});
			if (result.status !== 200) throw new Error(`sign-in failed: ${result.status}`);
			return result.body.sessionToken as string;
		},
		async approve(till, scope) {
			const result = await call(rt, managerApproval, '/api/auth/manager', {
				token: till.token,
				body: { pin: MANAGER_PIN, ...scope }
			});
			if (result.status !== 200) {
				throw new Error(`approval failed: ${result.status} ${JSON.stringify(result.body)}`);
			}
			return result.body.approvalId as string;
		},
		connect(terminal, protocols, base = url) {
			const socket = new WebSocket(`${base}?terminal=${encodeURIComponent(terminal)}`, protocols);
			socket.on('error', () => {});
			sockets.push(socket);
			return socket;
		},
		driver(till, session, terminal, params = {}, deps = {}) {
			const driver = new CodePayLanDriver(
				{
					id: terminal,
					currency: 'USD',
					params: {
						host: '192.0.2.10',
						appId: APP_ID,
						relayUrl: `${url}?terminal=${terminal}`,
						...params
					}
				},
				{
					WebSocketImpl: WebSocket,
					pageUrl: 'https://pos.shop.test/',
					relayToken: till.token,
					relaySession: () => session,
					heartbeatMs: 0,
					logger: { debug: () => {}, warn: () => {} },
					...deps
				}
			);
			drivers.push(driver);
			return driver;
		},
		async close() {
			for (const driver of drivers) await driver.disconnect();
			for (const socket of sockets) socket.terminate();
			for (const { server, relay } of servers) {
				relay.close();
				server.closeAllConnections();
				await new Promise((resolve) => server.close(resolve));
			}
			await echo.close();
			await sim.close();
			await rt.store.close();
		}
	};
}

export function opened(socket: WebSocket): Promise<void> {
	return new Promise((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('close', (code) => reject(new Error(`closed ${code} before opening`)));
	});
}

export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
	return new Promise((resolve) =>
		socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
	);
}

export function nextText(socket: WebSocket): Promise<string> {
	return new Promise((resolve) =>
		socket.once('message', (data: RawData) => resolve((data as Buffer).toString()))
	);
}

export { relayProtocols };
