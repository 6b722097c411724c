/**
 * Joins two open WebSockets: frames go across unchanged (text stays text, binary stays binary),
 * with backpressure, an idle timeout, liveness pings, and closing either side closes the other.
 * Each side's frames may pass a gate first, one at a time and in order: a frame the gate holds
 * back never reaches the other side, and its sender may get an answer in its place.
 */
import { WebSocket, type RawData } from 'ws';
import { RELAY_CLOSE } from '$lib/terminals/codepay-lan/relay-protocol';

export interface PipeOptions {
	/** Close both sides after this long without a frame in either direction; 0 never. */
	idleMs: number;
	/** Ping both sides this often; a side that has not answered the previous ping is dropped. */
	pingMs: number;
	/** Stop reading a side while this many bytes wait to be written to the other. */
	highWaterBytes: number;
}

/** What to do with one frame: forward it, or not (and maybe answer its sender). */
export type GateDecision = { forward: true } | { forward: false; reply?: string };
export type FrameGate = (data: Buffer, isBinary: boolean) => GateDecision | Promise<GateDecision>;

/** Frames waiting for a gate before their sender is no longer read. */
const GATE_QUEUE = 16;

export interface PipeSummary {
	/** Who closed first and how. */
	closedBy: 'client' | 'terminal' | 'idle';
	code: number;
	bytesUp: number;
	bytesDown: number;
}

/** Codes that may be sent in a close frame (RFC 6455 §7.4). */
function sendable(code: number): boolean {
	return (
		(code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
		(code >= 3000 && code <= 4999)
	);
}

/** A close reason is at most 123 bytes. */
function clip(reason: string): string {
	const bytes = Buffer.from(reason, 'utf8');
	return bytes.length <= 123
		? reason
		: bytes
				.subarray(0, 120)
				.toString('utf8')
				.replace(/\uFFFD$/, '');
}

function toBuffer(data: RawData): Buffer {
	if (Array.isArray(data)) return Buffer.concat(data);
	return data instanceof ArrayBuffer ? Buffer.from(data) : data;
}

function closeQuietly(socket: WebSocket, code: number, reason: string): void {
	if (socket.readyState === WebSocket.OPEN) socket.close(code, clip(reason));
	else if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
}

export function pipeSockets(
	client: WebSocket,
	terminal: WebSocket,
	options: PipeOptions,
	onClose: (summary: PipeSummary) => void,
	gates: { client?: FrameGate; terminal?: FrameGate } = {}
): void {
	let done = false;
	let bytesUp = 0;
	let bytesDown = 0;
	let idleTimer: ReturnType<typeof setTimeout> | undefined;
	const alive = new Map<WebSocket, boolean>([
		[client, true],
		[terminal, true]
	]);
	/** Set when a side broke the size limit, so the other side learns why. */
	const tooBig = new Set<WebSocket>();

	const armIdle = () => {
		if (options.idleMs <= 0) return;
		clearTimeout(idleTimer);
		idleTimer = setTimeout(() => finish('idle', RELAY_CLOSE.idle), options.idleMs);
	};

	const pinger =
		options.pingMs > 0
			? setInterval(() => {
					for (const socket of [client, terminal]) {
						if (!alive.get(socket)) {
							socket.terminate(); // its 'close' ends the pipe
							continue;
						}
						alive.set(socket, false);
						if (socket.readyState === WebSocket.OPEN) socket.ping();
					}
				}, options.pingMs)
			: undefined;

	function finish(closedBy: PipeSummary['closedBy'], code: number, reason = ''): void {
		if (done) return;
		done = true;
		clearTimeout(idleTimer);
		clearInterval(pinger);
		if (closedBy === 'idle') {
			closeQuietly(client, RELAY_CLOSE.idle, 'idle timeout');
			closeQuietly(terminal, 1000, 'idle timeout');
		} else if (closedBy === 'client') {
			closeQuietly(terminal, code === 1001 ? 1001 : 1000, 'client closed');
		} else if (tooBig.has(terminal)) {
			closeQuietly(client, 1009, 'terminal sent a frame that is too large');
		} else if (code === 1005 || code === 1006 || !sendable(code)) {
			closeQuietly(client, RELAY_CLOSE.terminalUnreachable, 'terminal connection lost');
		} else {
			closeQuietly(client, code, reason || 'terminal closed');
		}
		onClose({ closedBy, code, bytesUp, bytesDown });
	}

	function forward(
		from: WebSocket,
		to: WebSocket,
		count: (n: number) => void,
		check?: FrameGate
	): void {
		let waiting = 0;
		let queued = 0;
		let queue = Promise.resolve();
		const resumeIfDrained = () => {
			if (from.isPaused && waiting <= options.highWaterBytes / 2 && queued <= GATE_QUEUE / 2) {
				from.resume();
			}
		};
		const send = (data: Buffer, isBinary: boolean) => {
			if (done || to.readyState !== WebSocket.OPEN) return;
			count(data.length);
			waiting += data.length;
			to.send(data, { binary: isBinary }, () => {
				waiting -= data.length;
				resumeIfDrained();
			});
			if (waiting > options.highWaterBytes && !from.isPaused) from.pause();
		};
		const judge = async (data: Buffer, isBinary: boolean) => {
			let decision: GateDecision;
			try {
				decision = await (check as FrameGate)(data, isBinary);
			} catch {
				decision = { forward: false }; // a gate that fails lets nothing through
			}
			if (decision.forward) send(data, isBinary);
			else if (decision.reply && !done && from.readyState === WebSocket.OPEN) {
				from.send(decision.reply);
			}
		};
		from.on('message', (raw: RawData, isBinary: boolean) => {
			armIdle();
			alive.set(from, true);
			const data = toBuffer(raw);
			if (!check) {
				send(data, isBinary);
				return;
			}
			queued += 1;
			if (queued > GATE_QUEUE && !from.isPaused) from.pause();
			queue = queue
				.then(() => judge(data, isBinary))
				.finally(() => {
					queued -= 1;
					resumeIfDrained();
				});
		});
		from.on('pong', () => alive.set(from, true));
		from.on('error', (error: Error & { code?: string }) => {
			if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') tooBig.add(from);
		});
	}

	forward(client, terminal, (n) => (bytesUp += n), gates.client);
	forward(terminal, client, (n) => (bytesDown += n), gates.terminal);
	client.on('close', (code: number) => finish('client', code));
	terminal.on('close', (code: number, reason: Buffer) =>
		finish('terminal', code, reason.toString('utf8'))
	);
	armIdle();
}
