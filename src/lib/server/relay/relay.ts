/**
 * The WebSocket relay that lets an https page reach a CodePay LAN terminal where the browser may
 * not open `ws://` to it itself (NOTES.md §1 "Mixed content and Local Network Access": Safari,
 * Firefox, Android WebView, or Chrome with Local Network Access refused). Not an open relay: the caller proves it is a paired device with its token and that a
 * staff member is signed in on it with their session (both sent as subprotocols, see
 * `relay-protocol.ts`), and names a terminal id; the address comes from the server's
 * configuration only. Not a blind pipe either: every frame the page sends must be a CodePay
 * request, and a refund, void, cancel or batch close goes through only with a manager's approval
 * the server issued for exactly that operation (`frame-policy.ts`), used once.
 *
 * Order of a connection: check the credentials, look up the terminal, connect to the terminal,
 * and only then finish the browser's handshake, so `onopen` in the browser means "the terminal is
 * there". A refusal still finishes the handshake, then closes with a code the page can read
 * (4401, 4403, 4404, 4502, 4503): a failed handshake would only show the browser a bare error.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import {
	RELAY_CLOSE,
	RELAY_PATH,
	RELAY_PROTOCOL,
	RELAY_SESSION_PREFIX,
	RELAY_TOKEN_PREFIX,
	parseRelayRefusal,
	relayRefusalFrame
} from '$lib/terminals/codepay-lan/relay-protocol';
import {
	approvalRequiredMessage,
	judgeFrame,
	type ApprovalClaim,
	type FrameVerdict
} from './frame-policy';
import { pipeSockets, type FrameGate, type GateDecision, type PipeOptions } from './pipe';
import { resolveRelayTarget, type RelayTarget, type RelayTerminalConfig } from './target';

export interface RelayLimits extends PipeOptions {
	/** Largest frame either side may send (ws closes the sender with 1009). */
	maxPayload: number;
	/** How long the terminal has to accept the connection. */
	connectTimeoutMs: number;
	/** Relayed connections at once, over all devices. */
	maxConnections: number;
	/** Relayed connections at once from one device, so one till cannot take every slot. */
	maxPerDevice: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
	// CodePay messages are small JSON documents; 256 KiB leaves room for receipts and logos.
	maxPayload: 256 * 1024,
	connectTimeoutMs: 5000,
	maxConnections: 64,
	// A till holds one connection per terminal it uses, and a test connection now and then.
	maxPerDevice: 4,
	idleMs: 10 * 60_000,
	pingMs: 30_000,
	highWaterBytes: 1024 * 1024
};

/** Who is on the other end: the device, and the staff member signed in on it (null: nobody). */
export interface RelayCaller {
	deviceId: string;
	staffId: string | null;
}

export interface RelayDeps {
	/**
	 * The device a token belongs to and the staff member whose session it carries, or null for an
	 * unknown device: the same checks as the HTTP API's guard (`X-Staff-Session`).
	 */
	authenticate(token: string, session: string | undefined): Promise<RelayCaller | null>;
	/** The server's configured terminals. */
	terminals(): Promise<readonly RelayTerminalConfig[]>;
	/**
	 * Uses up the device's manager approval for `claim`, atomically across server instances; false
	 * when there is none (missing, expired, used, another operation, or its manager was demoted).
	 */
	claimApproval(deviceId: string, claim: ApprovalClaim): Promise<boolean>;
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

/**
 * The device token and staff session from `Sec-WebSocket-Protocol`, and whether the client speaks
 * the relay protocol.
 */
export function parseRelayProtocols(header: string | string[] | undefined): {
	speaksRelay: boolean;
	token: string | undefined;
	session: string | undefined;
} {
	const offered = (Array.isArray(header) ? header.join(',') : (header ?? ''))
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
	const carried = (prefix: string) =>
		offered.find((p) => p.startsWith(prefix))?.slice(prefix.length) || undefined;
	return {
		speaksRelay: offered.includes(RELAY_PROTOCOL),
		token: carried(RELAY_TOKEN_PREFIX),
		session: carried(RELAY_SESSION_PREFIX)
	};
}

/** A request id to name in a refusal: the client's own, when it is one the refusal may carry. */
function replyId(requestId: string | undefined): string | undefined {
	return requestId && requestId.length <= 128 ? requestId : undefined;
}

/**
 * Only the relay may say a request was not sent: the same words from the terminal's side could
 * make the till give up on a payment the terminal is taking.
 */
const dropForgedRefusals: FrameGate = (data, isBinary) => ({
	forward: isBinary || parseRelayRefusal(data.toString('utf8')) === null
});

function refusal(verdict: Extract<FrameVerdict, { kind: 'refuse' }>): GateDecision {
	const requestId = replyId(verdict.requestId);
	return {
		forward: false,
		reply: relayRefusalFrame({
			...(requestId ? { request_id: requestId } : {}),
			reason: verdict.reason,
			message: verdict.message
		})
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
	/** Connections (set up or being set up) per device, for `maxPerDevice`. */
	const perDevice = new Map<string, number>();

	/** Takes one of the device's slots; the function given back frees it, once. */
	function takeSlot(deviceId: string): (() => void) | null {
		const held = perDevice.get(deviceId) ?? 0;
		if (held >= limits.maxPerDevice) return null;
		perDevice.set(deviceId, held + 1);
		let freed = false;
		return () => {
			if (freed) return;
			freed = true;
			const left = (perDevice.get(deviceId) ?? 1) - 1;
			if (left > 0) perDevice.set(deviceId, left);
			else perDevice.delete(deviceId);
		};
	}

	/**
	 * The gate for one connection's frames. A frame that needs an approval also needs the session
	 * to be valid still: a connection lives for hours, a session does not.
	 */
	function gateFor(
		caller: RelayCaller,
		credentials: { token: string; session: string | undefined },
		target: RelayTarget,
		route: string
	): FrameGate {
		return async (data, isBinary) => {
			const verdict = judgeFrame(data, isBinary, target);
			if (verdict.kind === 'pass') return { forward: true };
			if (verdict.kind === 'refuse') {
				log(`${route}: refused a frame (${verdict.reason})`);
				return refusal(verdict);
			}
			const { claim, requestId } = verdict;
			try {
				const now = await deps.authenticate(credentials.token, credentials.session);
				if (!now?.staffId || now.deviceId !== caller.deviceId) {
					log(`${route}: refused ${claim.action}: no valid staff session any more`);
					return refusal({
						kind: 'refuse',
						requestId,
						reason: 'sign_in',
						message: `Sign in again: the staff session on this till is no longer valid. Nothing was sent to the terminal.`
					});
				}
				if (!(await deps.claimApproval(caller.deviceId, claim))) {
					log(`${route}: refused ${claim.action}: no matching manager approval`);
					return refusal({
						kind: 'refuse',
						requestId,
						reason: 'approval_required',
						message: approvalRequiredMessage(claim.action)
					});
				}
			} catch (error) {
				log(`${route}: refused ${claim.action}: ${(error as Error).message}`);
				return refusal({
					kind: 'refuse',
					requestId,
					reason: 'approval_required',
					message: `The POS server could not check the manager's approval just now. Nothing was sent to the terminal; try again.`
				});
			}
			log(`${route}: ${claim.action} approved by a manager, sent`);
			return { forward: true };
		};
	}

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
		| { refusal: Refusal }
		| {
				caller: RelayCaller & { staffId: string };
				credentials: { token: string; session: string };
				target: RelayTarget;
				upstream: WebSocket;
				release: () => void;
		  }
	> {
		if (live.size + pendingSetups > limits.maxConnections) {
			return { refusal: { code: RELAY_CLOSE.unavailable, reason: 'relay busy' } };
		}
		const { token, session } = parseRelayProtocols(request.headers['sec-websocket-protocol']);
		const terminalId = pathOf(request.url).searchParams.get('terminal');
		let caller: RelayCaller | null;
		let terminals: Awaited<ReturnType<RelayDeps['terminals']>>;
		try {
			caller = token ? await deps.authenticate(token, session) : null;
			terminals = caller?.staffId ? await deps.terminals() : [];
		} catch (error) {
			log(`${who}: server not ready: ${(error as Error).message}`);
			return { refusal: { code: RELAY_CLOSE.unavailable, reason: 'server not ready' } };
		}
		if (!caller || !token) {
			return { refusal: { code: RELAY_CLOSE.unauthorised, reason: 'unauthorised' } };
		}
		if (!caller.staffId || !session) {
			return { refusal: { code: RELAY_CLOSE.signInAgain, reason: 'sign in again' } };
		}
		const release = takeSlot(caller.deviceId);
		if (!release) {
			return { refusal: { code: RELAY_CLOSE.unavailable, reason: 'too many connections' } };
		}
		const lookup = resolveRelayTarget(terminals, terminalId);
		if (!lookup.ok) {
			release();
			return { refusal: { code: RELAY_CLOSE.unknownTerminal, reason: lookup.reason } };
		}
		const upstream = await connectTerminal(lookup.target, socket);
		if (!upstream) {
			release();
			return {
				refusal: { code: RELAY_CLOSE.terminalUnreachable, reason: 'terminal unreachable' }
			};
		}
		return {
			caller: { deviceId: caller.deviceId, staffId: caller.staffId },
			credentials: { token, session },
			target: lookup.target,
			upstream,
			release
		};
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
			const release = 'release' in decision ? decision.release : () => {};
			if (socket.destroyed) {
				upstream?.terminate();
				release();
				return;
			}
			// ws answers a malformed handshake itself and never calls back: the socket's close tidies up.
			let piped = false;
			socket.once('close', () => {
				if (piped) return;
				upstream?.terminate();
				release();
			});
			wss.handleUpgrade(request, socket, head, (client) => {
				client.on('error', () => {});
				if ('refusal' in decision) {
					log(`${who}: refused ${decision.refusal.code} ${decision.refusal.reason}`);
					client.close(decision.refusal.code, decision.refusal.reason);
					return;
				}
				const { caller, credentials, target } = decision;
				const terminal = decision.upstream;
				const route = `device ${caller.deviceId} (staff ${caller.staffId}) → terminal ${target.terminalId} (${target.host}:${target.port})`;
				if (terminal.readyState !== WebSocket.OPEN) {
					log(`${route}: terminal closed during the handshake`);
					release();
					client.close(RELAY_CLOSE.terminalUnreachable, 'terminal connection lost');
					return;
				}
				piped = true;
				live.set(client, terminal);
				const started = Date.now();
				log(`${route}: connected`);
				pipeSockets(
					client,
					terminal,
					limits,
					(summary) => {
						live.delete(client);
						release();
						const seconds = ((Date.now() - started) / 1000).toFixed(1);
						log(
							`${route}: closed by ${summary.closedBy} (${summary.code}) after ${seconds} s, ${summary.bytesUp} B up, ${summary.bytesDown} B down`
						);
					},
					{ client: gateFor(caller, credentials, target, route), terminal: dropForgedRefusals }
				);
			});
		},

		close() {
			for (const client of live.keys()) client.close(1001, 'server shutting down');
			wss.close();
		}
	};
}
