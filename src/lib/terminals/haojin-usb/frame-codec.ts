/**
 * Haojin (QFPay) ECR serial framing, NOTES.md §3 and the vendor page §9.3–9.4:
 *
 *   2f 6e | 01 | type | seq | total length (u16 BE) | data length (u16 BE) | data | 2f 6e
 *
 * Pure: no I/O, no timers. The only clock is the injected `now` used for the 500 ms reassembly
 * limit and for giving up on a frame whose length field was garbage.
 */

/** NOTES.md §3: start and end marker, ASCII "/n". */
export const MARKER_0 = 0x2f;
export const MARKER_1 = 0x6e;
export const VERSION = 0x01;
/** Start (2) + version + type + seq + total length (2) + data length (2). */
export const HEADER_BYTES = 9;
/** Header + end marker: total length = data + 11 (NOTES.md §3). */
export const OVERHEAD_BYTES = 11;
/** The length fields are uint16, so no frame can be longer. */
export const MAX_FRAME_BYTES = 0xffff;
export const MAX_MESSAGE_BYTES = 0xffff;
/** NOTES.md §3: keep fragments ≤ 1024 bytes of data. */
export const MAX_FRAGMENT_DATA = 1024;
/** NOTES.md §3: reassembly gives up after 500 ms. */
export const REASSEMBLY_TIMEOUT_MS = 500;

export const FRAME_TYPE = {
	request: 0x10,
	ack: 0x20,
	unknownError: 0x30,
	formatError: 0x31,
	checkError: 0x32,
	decryptError: 0x33,
	dataFormatError: 0x34,
	fragmentError: 0x35
} as const;

export type ErrorFrameType = 0x30 | 0x31 | 0x32 | 0x33 | 0x34 | 0x35;
export type FrameType = 0x10 | 0x20 | ErrorFrameType;

/** What the vendor page calls each error type (§9.4), for messages and logs. */
export const ERROR_FRAME_MEANING: Record<ErrorFrameType, string> = {
	0x30: 'unknown error',
	0x31: 'malformed frame',
	0x32: 'frame check failed',
	0x33: 'could not decrypt the data',
	0x34: 'malformed data',
	0x35: 'fragment error'
};

export function isErrorFrameType(type: number): type is ErrorFrameType {
	return type >= 0x30 && type <= 0x35;
}

/**
 * *Unconfirmed* (NOTES.md §3): in a fragmented message the data-length field of every fragment
 * carries the whole message's length (`'whole'`, the best reading). The other reading
 * (`'fragment'`) has each fragment carry its own length; the message then ends with the first
 * fragment shorter than the fragment size (an exact multiple ends with an empty fragment).
 */
export type FragmentLengthMode = 'whole' | 'fragment';

export interface Frame {
	type: FrameType;
	seq: number;
	/** The data-length field as received (the whole message's length in a `'whole'` fragment). */
	dataLength: number;
	/** The data bytes actually carried by this frame (total length − 11). */
	data: Uint8Array;
	/**
	 * When its first byte arrived (set by `FrameParser`). At 9,600 baud a full fragment takes about
	 * a second on the wire, so the gap between fragments is measured to here, not to its end.
	 */
	startedAt?: number;
}

/** Sequence numbers run 1..127 and wrap (NOTES.md §3). */
export function nextSeq(seq: number): number {
	return (seq % 0x7f) + 1;
}

export function isValidSeq(seq: number): boolean {
	return Number.isInteger(seq) && seq >= 1 && seq <= 0x7f;
}

/** Encodes one frame. Throws `RangeError` on a programming error (bad seq, oversize data). */
export function encodeFrame(
	type: FrameType,
	seq: number,
	data: Uint8Array = new Uint8Array(0),
	dataLength: number = data.length
): Uint8Array {
	if (!isValidSeq(seq)) throw new RangeError(`Frame seq must be 1..127, got ${seq}`);
	const total = data.length + OVERHEAD_BYTES;
	if (total > MAX_FRAME_BYTES) throw new RangeError(`Frame too long: ${total} bytes`);
	if (!Number.isInteger(dataLength) || dataLength < data.length || dataLength > MAX_MESSAGE_BYTES) {
		throw new RangeError(`Bad data length ${dataLength} for ${data.length} bytes of data`);
	}
	const out = new Uint8Array(total);
	out[0] = MARKER_0;
	out[1] = MARKER_1;
	out[2] = VERSION;
	out[3] = type;
	out[4] = seq;
	out[5] = total >> 8;
	out[6] = total & 0xff;
	out[7] = dataLength >> 8;
	out[8] = dataLength & 0xff;
	out.set(data, HEADER_BYTES);
	out[total - 2] = MARKER_0;
	out[total - 1] = MARKER_1;
	return out;
}

export function encodeAck(seq: number): Uint8Array {
	return encodeFrame(FRAME_TYPE.ack, seq);
}

export function encodeError(type: ErrorFrameType, seq: number): Uint8Array {
	return encodeFrame(type, seq);
}

export interface FragmentOptions {
	mode?: FragmentLengthMode;
	maxFragment?: number;
}

/**
 * Splits one message into request frames that share `seq` (NOTES.md §3). A message that fits in
 * one fragment is a single ordinary frame in both modes, except that `'fragment'` mode needs an
 * empty closing fragment after a message that is an exact multiple of the fragment size.
 */
export function encodeMessage(
	message: Uint8Array,
	seq: number,
	{ mode = 'whole', maxFragment = MAX_FRAGMENT_DATA }: FragmentOptions = {}
): Uint8Array[] {
	if (message.length > MAX_MESSAGE_BYTES) {
		throw new RangeError(`Message too long for the serial protocol: ${message.length} bytes`);
	}
	if (!Number.isInteger(maxFragment) || maxFragment < 1) {
		throw new RangeError(`Bad fragment size ${maxFragment}`);
	}
	const frames: Uint8Array[] = [];
	for (let at = 0; at < message.length || frames.length === 0; at += maxFragment) {
		const part = message.subarray(at, at + maxFragment);
		const dataLength = mode === 'whole' ? message.length : part.length;
		frames.push(encodeFrame(FRAME_TYPE.request, seq, part, dataLength));
	}
	if (mode === 'fragment' && message.length > 0 && message.length % maxFragment === 0) {
		frames.push(encodeFrame(FRAME_TYPE.request, seq));
	}
	return frames;
}

// ---------------------------------------------------------------------------------------------
// Streaming parser

export type FrameErrorCode =
	/** Bytes before a start marker (line noise, a half frame from before we opened the port). */
	| 'garbage'
	| 'bad_version'
	| 'bad_type'
	| 'bad_seq'
	/** Total length below 11, above the limit, or shorter than the data it says it carries. */
	| 'bad_length'
	/** The bytes where the end marker should be (by the length fields) are not `2f 6e`. */
	| 'bad_end'
	/** A frame started but its remaining bytes never came (its length was probably noise). */
	| 'stalled';

export interface FrameError {
	code: FrameErrorCode;
	message: string;
	/** The seq byte, when the header got that far; an error frame can then answer it. */
	seq?: number;
	/** How many bytes were thrown away. */
	dropped: number;
}

export type ParseEvent = { kind: 'frame'; frame: Frame } | { kind: 'error'; error: FrameError };

export interface FrameParserOptions {
	/** Largest frame accepted; also the buffer cap. Default 65535 (the u16 limit). */
	maxFrameBytes?: number;
	/**
	 * Bytes of a frame that stop coming for this long are dropped, so a corrupted length field
	 * cannot wedge the line. Default 1000 ms.
	 */
	stallMs?: number;
	now?: () => number;
}

const KNOWN_TYPES: ReadonlySet<number> = new Set(Object.values(FRAME_TYPE));

/**
 * Incremental frame parser. Feed it any chunks; it returns complete frames and typed errors and
 * never throws. Frames are delimited by the total-length field only: the data is base64 or JSON
 * and may contain `2f 6e`. The buffer never holds more than `maxFrameBytes`.
 */
export class FrameParser {
	readonly #max: number;
	readonly #stallMs: number;
	readonly #now: () => number;
	readonly #buf: Uint8Array;
	#len = 0;
	/** When the bytes currently buffered last grew; for the stall check. */
	#lastByteAt = 0;
	/** When the first byte now buffered arrived, and when the chunk being parsed did. */
	#firstByteAt = 0;
	#pushAt = 0;

	constructor({
		maxFrameBytes = MAX_FRAME_BYTES,
		stallMs = 1000,
		now = Date.now
	}: FrameParserOptions = {}) {
		this.#max = Math.max(OVERHEAD_BYTES, Math.min(maxFrameBytes, MAX_FRAME_BYTES));
		this.#stallMs = stallMs;
		this.#now = now;
		this.#buf = new Uint8Array(this.#max);
	}

	/** Bytes held for an incomplete frame. Never more than `maxFrameBytes`. */
	get bufferedBytes(): number {
		return this.#len;
	}

	reset(): void {
		this.#len = 0;
	}

	push(chunk: Uint8Array): ParseEvent[] {
		const events: ParseEvent[] = [];
		const at = this.#now();
		if (this.#len > 0 && at - this.#lastByteAt > this.#stallMs) {
			// A sender writes a frame in one go, so bytes left over from before a silence are a
			// remnant (often a length field made of noise): drop them, the next frame starts fresh.
			const dropped = this.#len;
			const seq = this.#len > 4 ? this.#buf[4] : undefined;
			this.#len = 0;
			events.push(this.#error('stalled', 'A frame stopped arriving part-way', dropped, seq));
		}
		this.#pushAt = at;
		if (this.#len === 0) this.#firstByteAt = at;
		let offset = 0;
		while (offset < chunk.length) {
			const take = Math.min(this.#max - this.#len, chunk.length - offset);
			this.#buf.set(chunk.subarray(offset, offset + take), this.#len);
			this.#len += take;
			offset += take;
			this.#drain(events);
		}
		if (chunk.length > 0) this.#lastByteAt = at;
		return events;
	}

	#error(code: FrameErrorCode, message: string, dropped: number, seq?: number): ParseEvent {
		const error: FrameError = { code, message, dropped };
		// Only a seq an error frame can carry: a noise byte in its place has nothing to answer.
		if (seq !== undefined && isValidSeq(seq)) error.seq = seq;
		return { kind: 'error', error };
	}

	#drop(count: number): void {
		this.#buf.copyWithin(0, count, this.#len);
		this.#len -= count;
		// Bytes left behind a whole frame or noise came in the chunk being parsed: had they been
		// buffered before it, what precedes them would have been parsed then.
		if (this.#len > 0) this.#firstByteAt = this.#pushAt;
	}

	/** Drops everything before the next possible start marker; returns how much was dropped. */
	#skipToMarker(from: number): number {
		let i = from;
		while (i < this.#len) {
			if (this.#buf[i] === MARKER_0 && (i + 1 === this.#len || this.#buf[i + 1] === MARKER_1))
				break;
			i++;
		}
		this.#drop(i);
		return i;
	}

	#drain(events: ParseEvent[]): void {
		for (;;) {
			if (this.#len === 0) return;
			if (this.#buf[0] !== MARKER_0 || (this.#len > 1 && this.#buf[1] !== MARKER_1)) {
				const dropped = this.#skipToMarker(1);
				events.push(this.#error('garbage', 'Bytes outside a frame were ignored', dropped));
				continue;
			}
			if (this.#len < HEADER_BYTES) return;
			const b = this.#buf;
			const type = b[3] ?? 0;
			const seq = b[4] ?? 0;
			const total = ((b[5] ?? 0) << 8) | (b[6] ?? 0);
			const dataLength = ((b[7] ?? 0) << 8) | (b[8] ?? 0);
			const fail = (code: FrameErrorCode, message: string, withSeq: boolean): void => {
				// Resync just past this start marker: the real next frame may begin inside these bytes.
				const dropped = this.#skipToMarker(2);
				events.push(this.#error(code, message, dropped, withSeq ? seq : undefined));
			};
			if (b[2] !== VERSION) {
				fail('bad_version', `Unsupported protocol version ${b[2]}`, true);
				continue;
			}
			if (!KNOWN_TYPES.has(type)) {
				fail('bad_type', `Unknown frame type 0x${type.toString(16)}`, isValidSeq(seq));
				continue;
			}
			if (!isValidSeq(seq)) {
				fail('bad_seq', `Frame number ${seq} is outside 1..127`, false);
				continue;
			}
			if (total < OVERHEAD_BYTES || total > this.#max || dataLength < total - OVERHEAD_BYTES) {
				fail('bad_length', `Impossible frame lengths (total ${total}, data ${dataLength})`, true);
				continue;
			}
			if (this.#len < total) return;
			if (b[total - 2] !== MARKER_0 || b[total - 1] !== MARKER_1) {
				fail('bad_end', 'The frame does not end where its length says', true);
				continue;
			}
			const frame: Frame = {
				type: type as FrameType,
				seq,
				dataLength,
				data: b.slice(HEADER_BYTES, total - 2),
				startedAt: this.#firstByteAt
			};
			this.#drop(total);
			events.push({ kind: 'frame', frame });
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Reassembly of fragmented messages

export type ReassemblyResult =
	| { kind: 'message'; seq: number; data: Uint8Array }
	| { kind: 'partial'; seq: number }
	/** Answer the sender with `reply` (an error frame) for `seq`. */
	| { kind: 'error'; seq: number; reply: ErrorFrameType; message: string };

export interface ReassemblerOptions {
	mode?: FragmentLengthMode;
	maxFragment?: number;
	timeoutMs?: number;
	now?: () => number;
}

interface Pending {
	seq: number;
	declared: number;
	parts: Uint8Array[];
	received: number;
	lastAt: number;
}

/**
 * Joins the fragments of a request message (NOTES.md §3). After `timeoutMs` without the next
 * fragment the partial message is dropped; a later fragment with the dropped seq is answered with
 * error 0x35, until a frame with another seq shows that the sender has moved on (seqs wrap after
 * 127, so the memory must not be permanent).
 */
export class Reassembler {
	readonly #mode: FragmentLengthMode;
	readonly #maxFragment: number;
	readonly #timeoutMs: number;
	readonly #now: () => number;
	#pending: Pending | undefined;
	#dropped: { seq: number; declared: number } | undefined;

	constructor({
		mode = 'whole',
		maxFragment = MAX_FRAGMENT_DATA,
		timeoutMs = REASSEMBLY_TIMEOUT_MS,
		now = Date.now
	}: ReassemblerOptions = {}) {
		this.#mode = mode;
		this.#maxFragment = maxFragment;
		this.#timeoutMs = timeoutMs;
		this.#now = now;
	}

	get pending(): boolean {
		this.#expire(this.#now());
		return this.#pending !== undefined;
	}

	reset(): void {
		this.#pending = undefined;
		this.#dropped = undefined;
	}

	/** Gives up the partial message when the next fragment began more than `timeoutMs` after it. */
	#expire(at: number): void {
		const p = this.#pending;
		if (p && at - p.lastAt > this.#timeoutMs) {
			this.#dropped = { seq: p.seq, declared: p.declared };
			this.#pending = undefined;
		}
	}

	accept(frame: Frame): ReassemblyResult {
		this.#expire(frame.startedAt ?? this.#now());
		const { seq } = frame;
		const dropped = this.#dropped;
		if (dropped && dropped.seq !== seq) this.#dropped = undefined;
		if (
			dropped &&
			dropped.seq === seq &&
			!this.#pending &&
			(this.#mode === 'fragment' || frame.dataLength === dropped.declared)
		) {
			return this.#fail(seq, 'A fragment arrived after its message was given up (500 ms)');
		}
		if (this.#mode === 'whole') return this.#acceptWhole(frame);
		return this.#acceptFragment(frame);
	}

	#fail(seq: number, message: string): ReassemblyResult {
		const p = this.#pending;
		if (p && p.seq === seq) this.#dropped = { seq, declared: p.declared };
		if (p && p.seq === seq) this.#pending = undefined;
		return { kind: 'error', seq, reply: FRAME_TYPE.fragmentError, message };
	}

	#start(frame: Frame, declared: number): void {
		this.#pending = {
			seq: frame.seq,
			declared,
			parts: [frame.data],
			received: frame.data.length,
			lastAt: this.#now()
		};
	}

	#complete(): ReassemblyResult {
		const p = this.#pending;
		this.#pending = undefined;
		if (!p) throw new Error('unreachable');
		const data = new Uint8Array(p.received);
		let at = 0;
		for (const part of p.parts) {
			data.set(part, at);
			at += part.length;
		}
		return { kind: 'message', seq: p.seq, data };
	}

	#acceptWhole(frame: Frame): ReassemblyResult {
		let p = this.#pending;
		if (p && p.seq !== frame.seq) {
			// A new message began: the old one can never complete (its sender has moved on).
			this.#pending = p = undefined;
		}
		if (!p) {
			if (frame.data.length === frame.dataLength) {
				return { kind: 'message', seq: frame.seq, data: frame.data };
			}
			this.#start(frame, frame.dataLength);
			return { kind: 'partial', seq: frame.seq };
		}
		if (frame.dataLength !== p.declared) {
			return this.#fail(frame.seq, 'Fragments of one message disagree on its length');
		}
		if (p.received + frame.data.length > p.declared) {
			return this.#fail(frame.seq, 'Fragments carry more data than the message length');
		}
		p.parts.push(frame.data);
		p.received += frame.data.length;
		p.lastAt = this.#now();
		if (p.received === p.declared) return this.#complete();
		return { kind: 'partial', seq: frame.seq };
	}

	#acceptFragment(frame: Frame): ReassemblyResult {
		let p = this.#pending;
		if (p && p.seq !== frame.seq) this.#pending = p = undefined;
		if (frame.dataLength !== frame.data.length) {
			return this.#fail(frame.seq, 'Fragment length field does not match its data');
		}
		const last = frame.data.length < this.#maxFragment;
		if (!p) {
			if (last) return { kind: 'message', seq: frame.seq, data: frame.data };
			this.#start(frame, 0);
			return { kind: 'partial', seq: frame.seq };
		}
		if (p.received + frame.data.length > MAX_MESSAGE_BYTES) {
			return this.#fail(frame.seq, 'Fragmented message is too long');
		}
		p.parts.push(frame.data);
		p.received += frame.data.length;
		p.lastAt = this.#now();
		if (last) return this.#complete();
		return { kind: 'partial', seq: frame.seq };
	}
}
