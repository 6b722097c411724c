/**
 * Owns one Web Serial port (or anything shaped like one): opens it 9600 8N1 with no flow control
 * by default (NOTES.md §3), runs the single read loop, serialises writes, and reports an unplug.
 * It knows nothing about frames; bytes go up through `onData`.
 */
import { TerminalError } from '../driver';

export interface SerialOptionsLike {
	baudRate: number;
	dataBits: 7 | 8;
	stopBits: 1 | 2;
	parity: 'none' | 'even' | 'odd';
	flowControl: 'none' | 'hardware';
}

/** The part of the Web Serial `SerialPort` this transport uses. */
export interface SerialPortLike {
	open(options: SerialOptionsLike): Promise<void>;
	close(): Promise<void>;
	readonly readable: ReadableStream<Uint8Array> | null;
	readonly writable: WritableStream<Uint8Array> | null;
	getInfo(): { usbVendorId?: number; usbProductId?: number };
	addEventListener?(type: 'connect' | 'disconnect', listener: () => void): void;
	removeEventListener?(type: 'connect' | 'disconnect', listener: () => void): void;
}

/** NOTES.md §3: 9600 baud, 8N1, no flow control. */
export const DEFAULT_SERIAL_OPTIONS: SerialOptionsLike = {
	baudRate: 9600,
	dataBits: 8,
	stopBits: 1,
	parity: 'none',
	flowControl: 'none'
};

/**
 * Web Serial read errors after which `port.readable` is replaced by a fresh stream and reading
 * can go on (line noise, a break). Anything else (`NetworkError` on unplug, `UnknownError`) is
 * fatal for this opening of the port.
 */
const RECOVERABLE_READ_ERRORS: ReadonlySet<string> = new Set([
	'BufferOverrunError',
	'BreakError',
	'FramingError',
	'ParityError'
]);

export function isRecoverableReadError(error: unknown): boolean {
	return error instanceof Error && RECOVERABLE_READ_ERRORS.has(error.name);
}

export interface TransportHandlers {
	onData(chunk: Uint8Array): void;
	/** The port went away (unplugged, fatal read error). Called once per opening. */
	onLost(reason: string): void;
	/** The port's device was plugged back in: the owner may `open()` again. */
	onConnect?(): void;
	/** A recoverable read error (diagnostics). */
	onReadError?(error: unknown): void;
}

export type TransportState = 'closed' | 'opening' | 'open' | 'closing' | 'lost';

/** How long `close` waits for a write the device never completes before closing anyway. */
const CLOSE_WRITE_GRACE_MS = 500;

export class SerialTransport {
	readonly #port: SerialPortLike;
	readonly #handlers: TransportHandlers;
	readonly #options: SerialOptionsLike;
	#state: TransportState = 'closed';
	#reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
	#readLoop: Promise<void> = Promise.resolve();
	#writes: Promise<unknown> = Promise.resolve();
	#releasing: Promise<void> = Promise.resolve();
	readonly #onDisconnect = (): void => {
		if (this.#state === 'open') this.#lose('The terminal was unplugged');
	};
	readonly #onConnect = (): void => {
		this.#handlers.onConnect?.();
	};

	constructor(
		port: SerialPortLike,
		handlers: TransportHandlers,
		options: Partial<SerialOptionsLike> = {}
	) {
		this.#port = port;
		this.#handlers = handlers;
		this.#options = { ...DEFAULT_SERIAL_OPTIONS, ...options };
		port.addEventListener?.('disconnect', this.#onDisconnect);
		port.addEventListener?.('connect', this.#onConnect);
	}

	get state(): TransportState {
		return this.#state;
	}

	get info(): { usbVendorId?: number; usbProductId?: number } {
		return this.#port.getInfo();
	}

	async open(): Promise<void> {
		if (this.#state === 'open' || this.#state === 'opening') return;
		this.#state = 'opening';
		await this.#releasing;
		try {
			await this.#port.open({ ...this.#options });
		} catch (error) {
			this.#state = 'closed';
			const detail = error instanceof Error ? error.message : String(error);
			throw new TerminalError(
				'unreachable',
				`Could not open the terminal's USB port (${detail}). Close other apps using it and check the cable.`,
				false
			);
		}
		this.#state = 'open';
		this.#writes = Promise.resolve();
		this.#readLoop = this.#read();
	}

	/** Writes one chunk; chunks never interleave. Rejects if the port is not open or fails. */
	write(bytes: Uint8Array): Promise<void> {
		const run = this.#writes.then(async () => {
			const writable = this.#port.writable;
			if (this.#state !== 'open' || !writable) {
				throw new TerminalError('not_connected', 'The terminal is not connected', false);
			}
			const writer = writable.getWriter();
			try {
				await writer.write(bytes);
			} finally {
				writer.releaseLock();
			}
		});
		this.#writes = run.catch(() => undefined);
		return run;
	}

	async close(): Promise<void> {
		if (this.#state === 'closed') return;
		const wasOpen = this.#state === 'open';
		this.#state = 'closing';
		if (wasOpen) await this.#release();
		else await this.#releasing;
		this.#state = 'closed';
	}

	/** Stops listening for plug events too; the transport cannot be used afterwards. */
	async dispose(): Promise<void> {
		this.#port.removeEventListener?.('disconnect', this.#onDisconnect);
		this.#port.removeEventListener?.('connect', this.#onConnect);
		await this.close();
	}

	/** Cancels the reader, lets the pending write finish (briefly), unlocks and closes the port. */
	async #release(): Promise<void> {
		await this.#reader?.cancel().catch(() => undefined);
		await this.#readLoop;
		await Promise.race([
			this.#writes,
			new Promise((resolve) => setTimeout(resolve, CLOSE_WRITE_GRACE_MS))
		]);
		await this.#port.close().catch(() => undefined);
	}

	#lose(reason: string): void {
		if (this.#state !== 'open') return;
		this.#state = 'lost';
		this.#releasing = this.#release();
		this.#handlers.onLost(reason);
	}

	async #read(): Promise<void> {
		while (this.#state === 'open') {
			const readable = this.#port.readable;
			if (!readable) break;
			const reader = readable.getReader();
			this.#reader = reader;
			try {
				for (;;) {
					const { value, done } = await reader.read();
					if (done) break;
					if (value && value.length > 0) this.#deliver(value);
				}
			} catch (error) {
				if (this.#state === 'open' && isRecoverableReadError(error)) {
					this.#handlers.onReadError?.(error);
					continue; // Web Serial hands out a fresh `readable` after a recoverable error.
				}
				if (this.#state === 'open') {
					const detail = error instanceof Error ? ` (${error.name}: ${error.message})` : '';
					this.#reader = undefined;
					reader.releaseLock();
					this.#lose(`Lost the connection to the terminal${detail}`);
					return;
				}
			} finally {
				if (this.#reader === reader) {
					this.#reader = undefined;
					reader.releaseLock();
				}
			}
			// The stream ended by itself: the port is gone unless we are the ones closing it.
			break;
		}
		if (this.#state === 'open') this.#lose('The terminal stopped responding (the port closed)');
	}

	#deliver(chunk: Uint8Array): void {
		try {
			this.#handlers.onData(chunk);
		} catch {
			// A bug above must not kill the read loop (and with it every later payment result).
		}
	}
}
