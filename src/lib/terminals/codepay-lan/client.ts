/**
 * One long-lived WebSocket to one CodePay terminal (NOTES.md §1): heartbeat, reconnect with capped
 * exponential backoff and jitter, requests matched to responses, per-request timeouts.
 *
 * Matching: by `request_id`; a response without one (some firmware) by topic + `merchant_order_no`,
 * or by topic alone when exactly one such request is waiting. A response that matches nothing is
 * never forced onto a request: order results become `unsolicited` events (the terminal re-delivers
 * after a reconnect), everything else is logged and dropped.
 */
import { TerminalError, type TerminalStatus } from '../driver';
import { buildEnvelope, decodeFrame, isInterim, orderNoOf, serialize } from './codec';
import { TOPIC, type InboundMessage, type PaymentMessage, type Topic } from './messages';
import { parseRelayRefusal, relayCloseMessage } from './relay-protocol';

/** The part of the WebSocket API used here; the browser's `WebSocket` and `ws`'s both fit. */
export interface SocketLike {
	readonly readyState: number;
	binaryType: string;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	onopen: ((event: never) => void) | null;
	onclose: ((event: never) => void) | null;
	onerror: ((event: never) => void) | null;
	onmessage: ((event: never) => void) | null;
}
export type SocketFactory = new (url: string, protocols?: string[]) => SocketLike;

const OPEN = 1;

export interface LanLogger {
	debug(message: string, detail?: unknown): void;
	warn(message: string, detail?: unknown): void;
}

export const consoleLogger: LanLogger = {
	debug: () => {},
	warn: (message, detail) => console.warn(`[codepay-lan] ${message}`, detail ?? '')
};

export interface ReconnectOptions {
	/** First retry delay; NOTES.md §1: official clients reconnect about 1 s after a drop. */
	initialMs: number;
	maxMs: number;
	/** Fraction of each delay that is randomised (0–1), so many tills do not retry in step. */
	jitter: number;
}

export interface ClientOptions {
	url: string;
	appId: string;
	WebSocketImpl?: SocketFactory;
	/**
	 * WebSocket subprotocols; the POS server's relay takes the device token and the staff session
	 * this way. A function is asked again at every (re)connect, so a new sign-in is carried.
	 */
	protocols?: string[] | (() => string[] | undefined);
	/**
	 * The socket goes to the POS server's relay: only then is a relay refusal frame believed (a
	 * terminal reached directly never sends one, and must not make a request look unsent).
	 */
	relayed?: boolean;
	/** Heartbeat interval (NOTES.md §1: every 5 s). 0 turns it off. */
	heartbeatMs?: number;
	/**
	 * Silence after which an open socket counts as dead. Only armed once the terminal has answered
	 * a heartbeat, so a firmware that ignores heartbeats is not disconnected. Default 3 × heartbeat.
	 */
	deadAfterMs?: number;
	reconnect?: Partial<ReconnectOptions>;
	/** Failed reconnects in a row before the status says `offline` (it keeps trying). */
	offlineAfter?: number;
	connectTimeoutMs?: number;
	logger?: LanLogger;
	random?: () => number;
}

export interface SendOptions {
	timeoutMs: number;
	/** A card operation: only one may be in flight (the terminal runs one at a time). */
	exclusive?: boolean;
	/** Used to match a response that comes back without a `request_id`. */
	merchantOrderNo?: string;
}

export type ClientEvent =
	| { type: 'status'; status: TerminalStatus; detail?: string }
	| { type: 'reconnected' }
	| { type: 'unsolicited'; message: PaymentMessage };

interface Pending {
	topic: Topic;
	merchantOrderNo?: string;
	exclusive: boolean;
	resolve(message: InboundMessage): void;
	reject(error: TerminalError): void;
	timer: ReturnType<typeof setTimeout>;
}

const RECENT_LIMIT = 256;
const STABLE_AFTER_MS = 5000;

export class CodePayLanClient {
	readonly url: string;
	readonly #appId: string;
	readonly #Socket: SocketFactory | undefined;
	readonly #protocols: ClientOptions['protocols'];
	readonly #relayed: boolean;
	readonly #heartbeatMs: number;
	readonly #deadAfterMs: number;
	readonly #reconnect: ReconnectOptions;
	readonly #offlineAfter: number;
	readonly #connectTimeoutMs: number;
	readonly #log: LanLogger;
	readonly #random: () => number;

	#socket: SocketLike | undefined;
	#status: TerminalStatus = 'disconnected';
	#wanted = false;
	#failures = 0;
	/**
	 * Whether anything came in on this connection. The POS server's relay accepts the WebSocket
	 * and then closes it when it cannot serve it (not paired, unknown or unreachable terminal): a
	 * connection that closes before saying anything is a failed attempt, and backs off like one.
	 */
	#heard = false;
	/** A connection that stays open this long counts as good even if the terminal says nothing. */
	#stableTimer: ReturnType<typeof setTimeout> | undefined;
	#everOpened = false;
	/** Counts the connections opened: which one carried a request tells whether it is gone. */
	#connections = 0;
	#reconnectTimer: ReturnType<typeof setTimeout> | undefined;
	#heartbeatTimer: ReturnType<typeof setInterval> | undefined;
	#lastInbound = 0;
	#heartbeatAnswered = false;
	/** Why the relay closed the last connection, when it said (`relayCloseMessage`). */
	#dropReason: string | undefined;
	#opening: Promise<void> | undefined;
	readonly #pending = new Map<string, Pending>();
	/** Request ids and order keys already settled: their duplicates are dropped, not re-emitted. */
	readonly #recent = new Set<string>();
	readonly #listeners = new Set<(event: ClientEvent) => void>();

	constructor(options: ClientOptions) {
		this.url = options.url;
		this.#appId = options.appId;
		this.#Socket = options.WebSocketImpl;
		this.#protocols = options.protocols;
		this.#relayed = options.relayed ?? false;
		this.#heartbeatMs = options.heartbeatMs ?? 5000;
		this.#deadAfterMs = options.deadAfterMs ?? this.#heartbeatMs * 3;
		this.#reconnect = { initialMs: 1000, maxMs: 30_000, jitter: 0.3, ...options.reconnect };
		this.#offlineAfter = options.offlineAfter ?? 3;
		this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
		this.#log = options.logger ?? consoleLogger;
		this.#random = options.random ?? Math.random;
	}

	get status(): TerminalStatus {
		return this.#status;
	}

	/** Why the POS server's relay closed the last connection, if it said. */
	get dropReason(): string | undefined {
		return this.#dropReason;
	}

	/**
	 * The number of the open connection (1 for the first), or undefined while none is. A request
	 * sent on an earlier number went on a connection that is gone: closed, never to carry more.
	 */
	get connection(): number | undefined {
		return this.isOpen ? this.#connections : undefined;
	}

	get isOpen(): boolean {
		return this.#socket?.readyState === OPEN;
	}

	on(listener: (event: ClientEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/**
	 * Opens the connection and keeps it open until `disconnect()`. Rejects with
	 * `TerminalError('unreachable', …, false)` when the first attempt fails; retries continue in
	 * the background and the status tells how they go.
	 */
	async connect(): Promise<void> {
		this.#wanted = true;
		if (this.isOpen) return;
		if (!this.#opening) {
			this.#setStatus(this.#everOpened ? 'reconnecting' : 'connecting');
			clearTimeout(this.#reconnectTimer);
			this.#opening = this.#open().finally(() => (this.#opening = undefined));
			this.#opening.catch((error: unknown) => this.#openFailed(error));
		}
		return this.#opening;
	}

	async disconnect(): Promise<void> {
		this.#wanted = false;
		clearTimeout(this.#stableTimer);
		clearTimeout(this.#reconnectTimer);
		this.#stopHeartbeat();
		const socket = this.#socket;
		this.#socket = undefined;
		this.#failAll('connection_lost', 'Disconnected from the terminal');
		if (socket) {
			this.#detach(socket);
			socket.close(1000, 'disconnect');
		}
		this.#setStatus('disconnected');
	}

	/** Whether a card operation is in flight. */
	get busy(): boolean {
		for (const p of this.#pending.values()) if (p.exclusive) return true;
		return false;
	}

	/**
	 * Sends one request and resolves with its response. Transport failures reject with
	 * `TerminalError`: `mayHaveReachedTerminal` is false only when nothing was sent.
	 */
	request(
		topic: Topic,
		bizData: Record<string, unknown>,
		options: SendOptions
	): Promise<InboundMessage> {
		if (options.exclusive && this.busy) {
			return Promise.reject(
				new TerminalError('busy', 'The terminal is already processing a payment', false)
			);
		}
		const socket = this.#socket;
		if (!socket || socket.readyState !== OPEN) {
			return Promise.reject(
				new TerminalError(
					'not_connected',
					this.#dropReason ?? 'Not connected to the terminal',
					false
				)
			);
		}
		const envelope = buildEnvelope(topic, bizData, { appId: this.#appId });
		const text = serialize(envelope);
		const id = envelope.request_id;
		return new Promise<InboundMessage>((resolve, reject) => {
			try {
				socket.send(text);
			} catch (error) {
				reject(new TerminalError('connection_lost', `Could not send: ${describe(error)}`, false));
				return;
			}
			const timer = setTimeout(() => {
				this.#settle(id);
				reject(
					new TerminalError(
						'timeout',
						`No answer from the terminal within ${Math.round(options.timeoutMs / 1000)} s`,
						true
					)
				);
			}, options.timeoutMs);
			this.#pending.set(id, {
				topic,
				merchantOrderNo: options.merchantOrderNo,
				exclusive: !!options.exclusive,
				resolve,
				reject,
				timer
			});
			this.#log.debug(`sent ${topic}`, { request_id: id });
			this.#refreshStatus();
		});
	}

	// -------------------------------------------------------------------------------------------

	#emit(event: ClientEvent): void {
		for (const listener of this.#listeners) {
			try {
				listener(event);
			} catch (error) {
				this.#log.warn('listener failed', error);
			}
		}
	}

	#setStatus(status: TerminalStatus, detail?: string): void {
		if (status === this.#status) return;
		this.#status = status;
		this.#emit({ type: 'status', status, detail });
	}

	#refreshStatus(): void {
		if (this.isOpen) this.#setStatus(this.busy ? 'busy' : 'ready');
	}

	#open(): Promise<void> {
		const Socket = this.#Socket ?? (globalThis as { WebSocket?: SocketFactory }).WebSocket;
		if (!Socket) {
			return Promise.reject(
				new TerminalError('unsupported', 'This environment has no WebSocket', false)
			);
		}
		return new Promise<void>((resolve, reject) => {
			let socket: SocketLike;
			try {
				const protocols =
					typeof this.#protocols === 'function' ? this.#protocols() : this.#protocols;
				socket = protocols ? new Socket(this.url, protocols) : new Socket(this.url);
			} catch (error) {
				reject(new TerminalError('unreachable', `Bad terminal address: ${describe(error)}`, false));
				return;
			}
			socket.binaryType = 'arraybuffer';
			let lastError = '';
			const timer = setTimeout(() => {
				this.#detach(socket);
				socket.close();
				reject(new TerminalError('unreachable', `No connection to ${this.url} (timed out)`, false));
			}, this.#connectTimeoutMs);
			socket.onerror = (event: { message?: string; error?: unknown }) => {
				lastError = event.message ?? describe(event.error) ?? '';
			};
			socket.onclose = () => {
				clearTimeout(timer);
				this.#detach(socket);
				const why = lastError ? `: ${lastError}` : '';
				reject(new TerminalError('unreachable', `Could not connect to ${this.url}${why}`, false));
			};
			socket.onopen = () => {
				clearTimeout(timer);
				this.#attach(socket);
				resolve();
			};
		});
	}

	#attach(socket: SocketLike): void {
		const reconnected = this.#everOpened;
		this.#connections += 1;
		this.#socket = socket;
		this.#everOpened = true;
		this.#heard = false;
		clearTimeout(this.#stableTimer);
		this.#stableTimer = setTimeout(() => (this.#failures = 0), STABLE_AFTER_MS);
		this.#lastInbound = Date.now();
		this.#heartbeatAnswered = false;
		this.#dropReason = undefined;
		socket.onmessage = (event: { data: unknown }) => this.#onFrame(event.data);
		socket.onclose = (event: { code?: number }) => this.#onDrop(socket, event.code);
		socket.onerror = () => {}; // the close that follows carries the consequence
		this.#startHeartbeat();
		this.#refreshStatus();
		if (!this.#wanted) {
			void this.disconnect();
			return;
		}
		if (reconnected) this.#emit({ type: 'reconnected' });
	}

	#detach(socket: SocketLike): void {
		socket.onopen = null;
		socket.onmessage = null;
		socket.onclose = null;
		socket.onerror = null;
	}

	#openFailed(error: unknown): void {
		this.#failures += 1;
		if (!this.#wanted) return;
		const detail = describe(error);
		this.#setStatus(this.#failures >= this.#offlineAfter ? 'offline' : 'reconnecting', detail);
		this.#scheduleReconnect();
	}

	#onDrop(socket: SocketLike, code?: number): void {
		if (socket !== this.#socket) return;
		clearTimeout(this.#stableTimer);
		this.#detach(socket);
		this.#socket = undefined;
		this.#stopHeartbeat();
		this.#log.warn('connection dropped', { code });
		// Through the POS server's relay, the close code says why (unknown terminal, unreachable…).
		const why = relayCloseMessage(code);
		this.#dropReason = why;
		this.#failAll('connection_lost', why ?? 'Lost the connection to the terminal');
		if (!this.#wanted) {
			this.#setStatus('disconnected');
			return;
		}
		if (!this.#heard) this.#failures += 1;
		const status = this.#failures >= this.#offlineAfter ? 'offline' : 'reconnecting';
		this.#setStatus(status, why ?? 'Connection lost');
		this.#scheduleReconnect();
	}

	/** Capped exponential backoff with jitter: initial × 2^(failures−1), at most maxMs. */
	nextDelay(failures: number): number {
		const { initialMs, maxMs, jitter } = this.#reconnect;
		const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
		return Math.round(base * (1 - jitter + jitter * this.#random()));
	}

	#scheduleReconnect(): void {
		clearTimeout(this.#reconnectTimer);
		const delay = this.nextDelay(Math.max(1, this.#failures));
		this.#reconnectTimer = setTimeout(() => {
			if (!this.#wanted || this.isOpen || this.#opening) return;
			this.connect().catch(() => {}); // #openFailed schedules the next attempt
		}, delay);
	}

	#failAll(code: 'connection_lost', message: string): void {
		for (const [id, pending] of this.#pending) {
			this.#settle(id);
			// Everything pending was sent: the terminal may have acted on it.
			pending.reject(new TerminalError(code, message, true));
		}
		this.#refreshStatus();
	}

	#settle(id: string): Pending | undefined {
		const pending = this.#pending.get(id);
		if (!pending) return undefined;
		clearTimeout(pending.timer);
		this.#pending.delete(id);
		this.#refreshStatus();
		return pending;
	}

	#remember(key: string): void {
		this.#recent.add(key);
		if (this.#recent.size > RECENT_LIMIT) {
			const oldest = this.#recent.values().next().value;
			if (oldest !== undefined) this.#recent.delete(oldest);
		}
	}

	#startHeartbeat(): void {
		this.#stopHeartbeat();
		if (this.#heartbeatMs <= 0) return;
		this.#heartbeatTimer = setInterval(() => this.#beat(), this.#heartbeatMs);
	}

	#stopHeartbeat(): void {
		clearInterval(this.#heartbeatTimer);
		this.#heartbeatTimer = undefined;
	}

	#beat(): void {
		const socket = this.#socket;
		if (!socket || socket.readyState !== OPEN) return;
		if (this.#heartbeatAnswered && Date.now() - this.#lastInbound > this.#deadAfterMs) {
			this.#log.warn('terminal silent; reconnecting');
			socket.close(4000, 'heartbeat timeout');
			this.#onDrop(socket, 4000);
			return;
		}
		try {
			socket.send(serialize(buildEnvelope(TOPIC.heartbeat, {}, { appId: this.#appId })));
		} catch (error) {
			this.#log.warn('heartbeat send failed', error);
		}
	}

	#onFrame(data: unknown): void {
		this.#lastInbound = Date.now();
		if (!this.#heard) {
			this.#heard = true;
			this.#failures = 0;
		}
		if (this.#relayed && this.#onRefusal(data)) return;
		const decoded = decodeFrame(data);
		if (!decoded.ok) {
			this.#log.warn(`ignored frame (${decoded.error.kind})`, decoded.error.message);
			return;
		}
		const message = decoded.message;
		if (message.topic === TOPIC.heartbeat) {
			this.#heartbeatAnswered = true;
			if (!message.request_id || !this.#pending.has(message.request_id)) return;
		}
		const id = this.#match(message);
		if (id === null) return;
		if (id !== undefined) {
			if (isInterim(message)) {
				this.#log.debug('terminal reports the order in progress', { request_id: id });
				return;
			}
			const pending = this.#settle(id);
			// Only answered requests are remembered: an answer to one that timed out or was cut
			// off is a late result and must still reach the driver as `unsolicited`.
			this.#remember(`id:${id}`);
			const orderNo = orderNoOf(message) ?? pending?.merchantOrderNo;
			if (orderNo) this.#remember(`order:${message.topic}:${orderNo}`);
			pending?.resolve(message);
			return;
		}
		this.#unmatched(message);
	}

	/**
	 * The relay did not forward a request (NOTES.md §1 "Mixed content", `relay-protocol.ts`): it
	 * never reached the terminal, so it fails as not sent, with the relay's reason for the cashier.
	 */
	#onRefusal(data: unknown): boolean {
		const refusal = parseRelayRefusal(data);
		if (!refusal) return false;
		const pending = refusal.request_id ? this.#settle(refusal.request_id) : undefined;
		if (!pending) {
			this.#log.warn('the relay refused a frame', refusal);
			return true;
		}
		if (refusal.request_id) this.#remember(`id:${refusal.request_id}`);
		pending.reject(new TerminalError('auth', refusal.message, false));
		return true;
	}

	/** The pending request a message answers; `undefined`: none; `null`: drop the message. */
	#match(message: InboundMessage): string | null | undefined {
		const id = message.request_id;
		if (id) {
			const pending = this.#pending.get(id);
			if (!pending) return undefined;
			const orderNo = orderNoOf(message);
			if (orderNo && pending.merchantOrderNo && orderNo !== pending.merchantOrderNo) {
				// The id says one order, the body another: settle neither from it (`null`: drop). The
				// request runs out its time, and both orders are then asked about.
				this.#log.warn('a response names another order than its request', {
					request_id: id,
					asked: pending.merchantOrderNo,
					answered: orderNo
				});
				return null;
			}
			return id;
		}
		const orderNo = orderNoOf(message);
		const candidates = [...this.#pending].filter(([, p]) => p.topic === message.topic);
		if (orderNo) return candidates.find(([, p]) => p.merchantOrderNo === orderNo)?.[0];
		// No id and no order number (e.g. a `110` with empty biz_data): only an unambiguous match.
		return candidates.length === 1 ? candidates[0]?.[0] : undefined;
	}

	#unmatched(message: InboundMessage): void {
		const id = message.request_id;
		const orderNo = orderNoOf(message);
		const orderKey = orderNo ? `order:${message.topic}:${orderNo}` : undefined;
		if ((id && this.#recent.has(`id:${id}`)) || (!id && orderKey && this.#recent.has(orderKey))) {
			this.#log.debug('dropped a duplicate response', { request_id: id, orderNo });
			return;
		}
		if (message.topic === TOPIC.order && orderNo && !isInterim(message)) {
			if (id) this.#remember(`id:${id}`);
			if (orderKey) this.#remember(orderKey);
			this.#emit({ type: 'unsolicited', message });
			return;
		}
		this.#log.warn('ignored a response that matches no request', {
			topic: message.topic,
			request_id: id,
			orderNo
		});
	}
}

function describe(error: unknown): string {
	if (error instanceof Error) return error.message;
	if (typeof error === 'string') return error;
	return '';
}
