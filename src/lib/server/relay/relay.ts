/**
 * The WebSocket relay that lets an https page reach a CodePay LAN terminal (NOTES.md §1 "Mixed
 * content"). Not an open relay: the caller proves it is a paired device with its token (sent as a
 * subprotocol, see `relay-protocol.ts`) and names a terminal id; the address comes from the
 * server's configuration only.
 *
 * Order of a connection: check the token, look up the terminal, connect to the terminal, and only
 * then finish the browser's handshake, so `onopen` in the browser means "the terminal is there".
 * A refusal still finishes the handshake, then closes with a code the page can read (4401, 4404,
 * 4502, 4503): a failed handshake would only show the browser a bare error.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import {
	RELAY_CLOSE,
	RELAY_PATH,
	RELAY_PROTOCOL,
	RELAY_TOKEN_PREFIX
} from '$lib/terminals/codepay-lan/relay-protocol';
import type { TerminalConfig } from '$lib/terminals/driver';
import { pipeSockets, type PipeOptions } from './pipe';
import { resolveRelayTarget, type RelayTarget } from './target';

export interface RelayLimits extends PipeOptions {
	/** Largest frame either side may send (ws closes the sender with 1009). */
	maxPayload: number;
	/** How long the terminal has to accept the connection. */
	connectTimeoutMs: number;
	/** Relayed connections at once, over all devices. */
	maxConnections: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
	// CodePay messages are small JSON documents; 256 KiB leaves room for receipts and logos.
	maxPayload: 256 * 1024,
	connectTimeoutMs: 5000,
	maxConnections: 64,
	idleMs: 10 * 60_000,
	pingMs: 30_000,
	highWaterBytes: 1024 * 1024
};

export interface RelayDeps {
	/** The device a token belongs to, or null: the same check as the HTTP API's guard. */
	authenticate(token: string): Promise<{ deviceId: string } | null>;
	/** The server's configured terminals. */
	terminals(): Promise<readonly Pick<TerminalConfig, 'id' | 'rail' | 'params'>[]>;
	limits?: Partial<RelayLimits>;
	log?: (line: string) => void;
}

export interface Relay {
	/** Whether an upgrade request is for the relay. */
	matches(url: string | undefined): boolean;
	/** Takes over an `upgrade` request for the relay's path. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
	/** Open relayed connections. */
	readonly size: number;
	/** Closes every relayed connection (server shutdown). */
	close(): void;
}

interface Refusal {
	code: number;
	reason: string;
}

function pathOf(url: string | undefined): URL {
	return new URL(url ?? '/', 'http://relay.invalid');
}

/** The token from `Sec-WebSocket-Protocol`, and whether the client speaks the relay protocol. */
export function parseRelayProtocols(header: string | string[] | undefined): {
	speaksRelay: boolean;
	token: string | undefined;
} {
	const offered = (Array.isArray(header) ? header.join(',') : (header ?? ''))
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
	const carrier = offered.find((p) => p.startsWith(RELAY_TOKEN_PREFIX));
	return {
		speaksRelay: offered.includes(RELAY_PROTOCOL),
		token: carrier?.slice(RELAY_TOKEN_PREFIX.length) || undefined
	};
}

function httpReject(socket: Duplex, status: string): void {
	socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createRelay(deps: RelayDeps): Relay {
	const limits: RelayLimits = { ...DEFAULT_RELAY_LIMITS, ...deps.limits };
	const log = deps.log ?? ((line: string) => console.log(`[relay] ${line}`));
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: limits.maxPayload,
		perMessageDeflate: false,
		// Answer with the relay protocol only: echoing the token would put it in a response header.
		handleProtocols: (protocols) => (protocols.has(RELAY_PROTOCOL) ? RELAY_PROTOCOL : false)
	});
	/** Piped connections, browser side → terminal side: to bound them and close them at shutdown. */
	const live = new Map<WebSocket, WebSocket>();
	let pendingSetups = 0;

	function connectTerminal(target: RelayTarget, socket: Duplex): Promise<WebSocket | null> {
		return new Promise((resolve) => {
			const upstream = new WebSocket(target.url, {
				maxPayload: limits.maxPayload,
				perMessageDeflate: false,
				handshakeTimeout: limits.connectTimeoutMs,
				followRedirects: false,
				// Frames go through unchanged; the browser judges them as it would in direct mode.
				skipUTF8Validation: true
			});
			const settle = (result: WebSocket | null) => {
				clearTimeout(timer);
				socket.off('close', abandon);
				upstream.off('open', opened);
				resolve(result);
			};
			const opened = () => settle(upstream);
			const abandon = () => {
				upstream.terminate();
				settle(null);
			};
			const timer = setTimeout(abandon, limits.connectTimeoutMs);
			upstream.on('error', () => {}); // the close that follows says it all
			upstream.once('open', opened);
			upstream.once('close', () => settle(null));
			socket.once('close', abandon);
		});
	}

	async function decide(
		request: IncomingMessage,
		socket: Duplex,
		who: string
	): Promise<
		{ refusal: Refusal } | { deviceId: string; target: RelayTarget; upstream: WebSocket }
	> {
		if (live.size + pendingSetups > limits.maxConnections) {
			return { refusal: { code: RELAY_CLOSE.unavailable, reason: 'relay busy' } };
		}
		const { token } = parseRelayProtocols(request.headers['sec-websocket-protocol']);
		const terminalId = pathOf(request.url).searchParams.get('terminal');
		let device: { deviceId: string } | null;
		let terminals: Awaited<ReturnType<RelayDeps['terminals']>>;
		try {
			device = token ? await deps.authenticate(token) : null;
			terminals = device ? await deps.terminals() : [];
		} catch (error) {
			log(`${who}: server not ready: ${(error as Error).message}`);
			return { refusal: { code: RELAY_CLOSE.unavailable, reason: 'server not ready' } };
		}
		if (!device) return { refusal: { code: RELAY_CLOSE.unauthorised, reason: 'unauthorised' } };
		const lookup = resolveRelayTarget(terminals, terminalId);
		if (!lookup.ok) {
			return { refusal: { code: RELAY_CLOSE.unknownTerminal, reason: lookup.reason } };
		}
		const upstream = await connectTerminal(lookup.target, socket);
		if (!upstream) {
			return {
				refusal: { code: RELAY_CLOSE.terminalUnreachable, reason: 'terminal unreachable' }
			};
		}
		return { deviceId: device.deviceId, target: lookup.target, upstream };
	}

	function describeTerminal(request: IncomingMessage): string {
		const id = pathOf(request.url).searchParams.get('terminal') ?? '';
		// Only ever log an id the client sent after making it printable and short.
		return JSON.stringify(id.slice(0, 64));
	}

	return {
		matches(url) {
			const path = pathOf(url).pathname.replace(/\/+$/, '');
			return path === RELAY_PATH;
		},

		get size() {
			return live.size;
		},

		async handleUpgrade(request, socket, head) {
			socket.on('error', () => {}); // a browser that vanishes mid-setup is not a server error
			const who = `${request.socket.remoteAddress ?? '?'} terminal=${describeTerminal(request)}`;
			if (!parseRelayProtocols(request.headers['sec-websocket-protocol']).speaksRelay) {
				log(`${who}: refused, no "${RELAY_PROTOCOL}" subprotocol`);
				httpReject(socket, '400 Bad Request');
				return;
			}
			pendingSetups += 1;
			let decision: Awaited<ReturnType<typeof decide>>;
			try {
				decision = await decide(request, socket, who);
			} finally {
				pendingSetups -= 1;
			}
			const upstream = 'upstream' in decision ? decision.upstream : undefined;
			if (socket.destroyed) {
				upstream?.terminate();
				return;
			}
			// ws answers a malformed handshake itself and never calls back: the socket's close tidies up.
			let piped = false;
			socket.once('close', () => {
				if (!piped) upstream?.terminate();
			});
			wss.handleUpgrade(request, socket, head, (client) => {
				client.on('error', () => {});
				if ('refusal' in decision) {
					log(`${who}: refused ${decision.refusal.code} ${decision.refusal.reason}`);
					client.close(decision.refusal.code, decision.refusal.reason);
					return;
				}
				const { deviceId, target } = decision;
				const terminal = decision.upstream;
				const route = `device ${deviceId} → terminal ${target.terminalId} (${target.host}:${target.port})`;
				if (terminal.readyState !== WebSocket.OPEN) {
					log(`${route}: terminal closed during the handshake`);
					client.close(RELAY_CLOSE.terminalUnreachable, 'terminal connection lost');
					return;
				}
				piped = true;
				live.set(client, terminal);
				const started = Date.now();
				log(`${route}: connected`);
				pipeSockets(client, terminal, limits, (summary) => {
					live.delete(client);
					const seconds = ((Date.now() - started) / 1000).toFixed(1);
					log(
						`${route}: closed by ${summary.closedBy} (${summary.code}) after ${seconds} s, ${summary.bytesUp} B up, ${summary.bytesDown} B down`
					);
				});
			});
		},

		close() {
			for (const client of live.keys()) client.close(1001, 'server shutting down');
			wss.close();
		}
	};
}
