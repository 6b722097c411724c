/**
 * The Haojin serial link layer (NOTES.md §3, vendor page §9.4): acks every request frame the
 * terminal sends, waits up to 1000 ms for the terminal's ack of each message we send, and answers
 * a malformed frame with the matching error frame. No I/O of its own: bytes come in through
 * `receive` and go out through the injected `write`, so it is tested without a port.
 */
import { TerminalError } from '../driver';
import {
	ERROR_FRAME_MEANING,
	FRAME_TYPE,
	FrameParser,
	type ParseEvent,
	Reassembler,
	encodeAck,
	encodeError,
	encodeMessage,
	isErrorFrameType,
	nextSeq,
	type ErrorFrameType,
	type FragmentLengthMode,
	type FrameError
} from './frame-codec';

/** NOTES.md §3: the ack must come within 1000 ms, else the link counts as failed. */
export const ACK_TIMEOUT_MS = 1000;
/** A message the terminal repeats (because our ack got lost) is acked again, delivered once. */
const DUPLICATE_WINDOW_MS = 10_000;
/** Error frames that say the bytes were damaged on the way, so sending again can help. */
const RETRYABLE: ReadonlySet<number> = new Set([
	FRAME_TYPE.unknownError,
	FRAME_TYPE.formatError,
	FRAME_TYPE.checkError,
	FRAME_TYPE.fragmentError
]);

export interface LinkOptions {
	write: (bytes: Uint8Array) => Promise<void>;
	/** A complete message (the data field of a request frame, UTF-8) from the terminal. */
	onMessage: (text: string) => void;
	/** Diagnostics: a frame that could not be parsed. */
	onFrameError?: (error: FrameError) => void;
	ackTimeoutMs?: number;
	/** How many times to resend a message the terminal answered with a transmission error frame. */
	errorRetries?: number;
	fragmentLengthMode?: FragmentLengthMode;
	maxFragment?: number;
	now?: () => number;
}

interface PendingAck {
	seq: number;
	settle: (result: { ok: true } | { ok: false; type: ErrorFrameType }) => void;
}

export class HaojinLink {
	readonly #write: (bytes: Uint8Array) => Promise<void>;
	readonly #onMessage: (text: string) => void;
	readonly #onFrameError: ((error: FrameError) => void) | undefined;
	readonly #ackTimeoutMs: number;
	readonly #errorRetries: number;
	readonly #mode: FragmentLengthMode;
	readonly #maxFragment: number | undefined;
	readonly #now: () => number;
	readonly #parser: FrameParser;
	readonly #reassembler: Reassembler;
	#seq = 0;
	#queue: Promise<unknown> = Promise.resolve();
	#pending: PendingAck | undefined;
	/** Rejects the send in progress when the connection is lost. */
	#abort: ((error: TerminalError) => void) | undefined;
	#last: { seq: number; text: string; at: number } | undefined;

	constructor(options: LinkOptions) {
		this.#write = options.write;
		this.#onMessage = options.onMessage;
		this.#onFrameError = options.onFrameError;
		this.#ackTimeoutMs = options.ackTimeoutMs ?? ACK_TIMEOUT_MS;
		this.#errorRetries = options.errorRetries ?? 1;
		this.#mode = options.fragmentLengthMode ?? 'whole';
		this.#maxFragment = options.maxFragment;
		this.#now = options.now ?? Date.now;
		this.#parser = new FrameParser({ now: this.#now });
		this.#reassembler = new Reassembler({
			mode: this.#mode,
			maxFragment: this.#maxFragment,
			now: this.#now
		});
	}

	/** Bytes held by the frame parser (bounded by the largest possible frame). */
	get bufferedBytes(): number {
		return this.#parser.bufferedBytes;
	}

	/**
	 * Sends one message and resolves when the terminal acks it. Messages go out one at a time.
	 * Rejects with a `TerminalError` whose `mayHaveReachedTerminal` is true only once every byte
	 * of the message was handed to the port (the terminal acts on whole messages only).
	 */
	send(text: string): Promise<void> {
		const run = this.#queue.then(() => this.#send(new TextEncoder().encode(text)));
		this.#queue = run.catch(() => undefined);
		return run;
	}

	/** The port is gone: fail the send in progress and forget partial frames. */
	fail(message = 'The USB connection to the terminal was lost'): void {
		this.#abort?.(new TerminalError('connection_lost', message, false));
		this.reset();
	}

	reset(): void {
		this.#parser.reset();
		this.#reassembler.reset();
		this.#last = undefined;
	}

	async #send(message: Uint8Array): Promise<void> {
		for (let attempt = 0; ; attempt++) {
			const result = await this.#attempt(message);
			if (result.ok) return;
			const meaning = ERROR_FRAME_MEANING[result.type];
			if (RETRYABLE.has(result.type) && attempt < this.#errorRetries) continue;
			if (result.type === FRAME_TYPE.decryptError) {
				throw new TerminalError(
					'auth',
					'The terminal could not decrypt the request: check the POS-KEY and key mode.',
					false
				);
			}
			throw new TerminalError(
				'protocol',
				`The terminal rejected the request (${meaning}, 0x${result.type.toString(16)})`,
				false
			);
		}
	}

	#attempt(message: Uint8Array): Promise<{ ok: true } | { ok: false; type: ErrorFrameType }> {
		this.#seq = nextSeq(this.#seq);
		const seq = this.#seq;
		const frames = encodeMessage(message, seq, {
			mode: this.#mode,
			maxFragment: this.#maxFragment
		});
		return new Promise((resolve, reject) => {
			let lastWriteStarted = false;
			let timer: ReturnType<typeof setTimeout> | undefined;
			const done = (): void => {
				clearTimeout(timer);
				this.#pending = undefined;
				this.#abort = undefined;
			};
			this.#abort = (error) => {
				done();
				reject(new TerminalError(error.code, error.message, lastWriteStarted));
			};
			// Registered before writing: a fast terminal may ack before `write` resolves.
			this.#pending = {
				seq,
				settle: (result) => {
					done();
					resolve(result);
				}
			};
			const writeAll = async (): Promise<void> => {
				for (let i = 0; i < frames.length; i++) {
					if (i === frames.length - 1) lastWriteStarted = true;
					await this.#write(frames[i] as Uint8Array);
				}
			};
			writeAll().then(
				() => {
					if (this.#pending?.seq !== seq) return;
					timer = setTimeout(() => {
						done();
						reject(
							new TerminalError(
								'timeout',
								'The terminal did not acknowledge the request within 1 second: check the USB ' +
									'cable and that the Haojin app is open in ECR mode.',
								true
							)
						);
					}, this.#ackTimeoutMs);
				},
				(error: unknown) => {
					if (this.#pending?.seq !== seq) return;
					done();
					const why = error instanceof Error ? `: ${error.message}` : '';
					// The transport refuses with `not_connected` before touching the port.
					const refused = error instanceof TerminalError && error.code === 'not_connected';
					reject(
						new TerminalError(
							'connection_lost',
							`Could not write to the terminal${why}`,
							lastWriteStarted && !refused
						)
					);
				}
			);
		});
	}

	/** Feed bytes read from the port. Never throws: one event that fails does not cost the others. */
	receive(chunk: Uint8Array): void {
		for (const event of this.#parser.push(chunk)) {
			try {
				this.#handle(event);
			} catch (error) {
				this.#onFrameError?.({
					code: 'garbage',
					message: `Could not handle a frame: ${error instanceof Error ? error.message : error}`,
					dropped: 0
				});
			}
		}
	}

	#handle(event: ParseEvent): void {
		if (event.kind === 'error') {
			this.#onFrameError?.(event.error);
			// A frame whose header we could read gets a format error back so the terminal resends.
			// Bare noise has no seq to answer; the sender's ack timer covers it.
			if (event.error.seq !== undefined) {
				this.#quietly(encodeError(FRAME_TYPE.formatError, event.error.seq));
			}
			return;
		}
		const { frame } = event;
		if (frame.type === FRAME_TYPE.ack) {
			if (this.#pending?.seq === frame.seq) this.#pending.settle({ ok: true });
			return;
		}
		if (isErrorFrameType(frame.type)) {
			if (this.#pending?.seq === frame.seq) {
				this.#pending.settle({ ok: false, type: frame.type });
			}
			return;
		}
		const result = this.#reassembler.accept(frame);
		if (result.kind === 'error') {
			this.#quietly(encodeError(result.reply, result.seq));
		} else if (result.kind === 'message') {
			this.#deliver(result.seq, result.data);
		}
	}

	#deliver(seq: number, data: Uint8Array): void {
		let text: string;
		try {
			text = new TextDecoder('utf-8', { fatal: true }).decode(data);
		} catch {
			this.#quietly(encodeError(FRAME_TYPE.dataFormatError, seq));
			return;
		}
		this.#quietly(encodeAck(seq));
		const now = this.#now();
		const last = this.#last;
		if (last && last.seq === seq && last.text === text && now - last.at < DUPLICATE_WINDOW_MS) {
			return;
		}
		this.#last = { seq, text, at: now };
		this.#onMessage(text);
	}

	#quietly(bytes: Uint8Array): void {
		// A failed ack write means the port is going away; the transport reports that itself.
		this.#write(bytes).catch(() => undefined);
	}
}
