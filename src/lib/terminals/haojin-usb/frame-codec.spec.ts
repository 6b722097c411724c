import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	FRAME_TYPE,
	FrameParser,
	Reassembler,
	encodeAck,
	encodeError,
	encodeFrame,
	encodeMessage,
	nextSeq,
	type Frame,
	type ParseEvent,
	type ReassemblyResult
} from './frame-codec';

const hex = (bytes: Uint8Array): string =>
	Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);
const frames = (events: ParseEvent[]): Frame[] =>
	events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : []));
const errors = (events: ParseEvent[]) =>
	events.flatMap((e) => (e.kind === 'error' ? [e.error] : []));

function concat(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

describe('encodeFrame (vectors written by hand from NOTES.md §3)', () => {
	it('encodes a request with data', () => {
		expect(hex(encodeFrame(FRAME_TYPE.request, 1, bytes('AB')))).toBe(
			'2f 6e 01 10 01 00 0d 00 02 41 42 2f 6e'
		);
	});

	it('encodes an ack and an error frame with no data', () => {
		expect(hex(encodeAck(5))).toBe('2f 6e 01 20 05 00 0b 00 00 2f 6e');
		expect(hex(encodeError(0x35, 0x7f))).toBe('2f 6e 01 35 7f 00 0b 00 00 2f 6e');
	});

	it('writes lengths big-endian', () => {
		const frame = encodeFrame(FRAME_TYPE.request, 2, new Uint8Array(300), 1000);
		expect(hex(frame.subarray(0, 9))).toBe('2f 6e 01 10 02 01 37 03 e8');
		expect(frame.length).toBe(311);
	});

	it('refuses a seq outside 1..127', () => {
		expect(() => encodeAck(0)).toThrow(RangeError);
		expect(() => encodeAck(128)).toThrow(RangeError);
	});

	it('cycles seq 1..127', () => {
		expect(nextSeq(0)).toBe(1);
		expect(nextSeq(1)).toBe(2);
		expect(nextSeq(126)).toBe(127);
		expect(nextSeq(127)).toBe(1);
	});
});

describe('encodeMessage fragmentation', () => {
	it('keeps a short message in one frame', () => {
		const out = encodeMessage(bytes('hello'), 3);
		expect(out).toHaveLength(1);
		expect(hex(out[0] as Uint8Array)).toBe('2f 6e 01 10 03 00 10 00 05 68 65 6c 6c 6f 2f 6e');
	});

	it("splits > 1024 bytes into frames sharing the seq; 'whole' puts the message length in each", () => {
		const message = new Uint8Array(2500).fill(0x41);
		const out = encodeMessage(message, 9);
		expect(out.map((f) => f.length)).toEqual([1035, 1035, 463]);
		for (const f of out) {
			expect(f[4]).toBe(9);
			expect((f[7]! << 8) | f[8]!).toBe(2500);
		}
	});

	it("'fragment' mode carries each fragment's own length and closes an exact multiple", () => {
		const out = encodeMessage(new Uint8Array(2048), 4, { mode: 'fragment' });
		expect(out.map((f) => (f[7]! << 8) | f[8]!)).toEqual([1024, 1024, 0]);
	});
});

describe('FrameParser', () => {
	const a = encodeFrame(FRAME_TYPE.request, 1, bytes('first'));
	const b = encodeAck(1);
	const c = encodeFrame(FRAME_TYPE.request, 2, bytes('third'));

	it('parses one byte at a time', () => {
		const parser = new FrameParser();
		const out: ParseEvent[] = [];
		for (const byte of concat(a, b, c)) out.push(...parser.push(Uint8Array.of(byte)));
		expect(errors(out)).toEqual([]);
		expect(frames(out).map((f) => [f.type, f.seq, text(f.data)])).toEqual([
			[0x10, 1, 'first'],
			[0x20, 1, ''],
			[0x10, 2, 'third']
		]);
		expect(parser.bufferedBytes).toBe(0);
	});

	it('parses many frames in one chunk', () => {
		const out = new FrameParser().push(concat(a, b, c, b));
		expect(frames(out)).toHaveLength(4);
	});

	it('skips garbage before a start marker and reports it once', () => {
		const out = new FrameParser().push(concat(bytes('xx\x00\x2fzz'), a));
		expect(frames(out).map((f) => text(f.data))).toEqual(['first']);
		expect(errors(out).map((e) => e.code)).toEqual(['garbage']);
		expect(errors(out)[0]?.dropped).toBe(6);
	});

	it('parses by length, not by the end marker, when the data contains 2f 6e', () => {
		const tricky = encodeFrame(FRAME_TYPE.request, 7, bytes('ab/ncd/n/n'));
		const parser = new FrameParser();
		const out = [...parser.push(tricky.subarray(0, 12)), ...parser.push(tricky.subarray(12))];
		expect(errors(out)).toEqual([]);
		expect(frames(out).map((f) => text(f.data))).toEqual(['ab/ncd/n/n']);
	});

	it('reports a bad end marker with the seq and recovers at the next frame', () => {
		const broken = encodeFrame(FRAME_TYPE.request, 3, bytes('zz'));
		broken[broken.length - 1] = 0;
		const out = new FrameParser().push(concat(broken, c));
		expect(errors(out)[0]).toMatchObject({ code: 'bad_end', seq: 3 });
		expect(frames(out).map((f) => f.seq)).toEqual([2]);
	});

	it('rejects a bad version, unknown type, bad seq and impossible lengths', () => {
		const variants: [number, number, string][] = [
			[2, 0x02, 'bad_version'],
			[3, 0x40, 'bad_type'],
			[4, 0x00, 'bad_seq'],
			[6, 0x05, 'bad_length']
		];
		for (const [index, value, code] of variants) {
			const frame = encodeFrame(FRAME_TYPE.request, 1, bytes('q'));
			frame[index] = value;
			const out = new FrameParser().push(concat(frame, c));
			expect(errors(out)[0]?.code).toBe(code);
			expect(frames(out).map((f) => f.seq)).toEqual([2]);
		}
	});

	it('gives up on a frame that stops arriving, so a noisy length cannot wedge the line', () => {
		let now = 0;
		const parser = new FrameParser({ now: () => now, stallMs: 1000 });
		// A start marker whose length field claims 60000 bytes.
		expect(parser.push(Uint8Array.of(0x2f, 0x6e, 1, 0x10, 1, 0xea, 0x60, 0xea, 0x55))).toEqual([]);
		now = 1500;
		const out = parser.push(c);
		expect(errors(out)[0]?.code).toBe('stalled');
		expect(frames(out).map((f) => f.seq)).toEqual([2]);
	});

	it('keeps its buffer bounded by the largest frame', () => {
		const parser = new FrameParser({ maxFrameBytes: 200 });
		const out = parser.push(new Uint8Array(10_000).fill(0x2f));
		expect(parser.bufferedBytes).toBeLessThanOrEqual(200);
		expect(frames(out)).toEqual([]);
	});

	it('never throws, stays bounded, and parses a good frame after a pause following any bytes (fuzz)', () => {
		const good = encodeFrame(FRAME_TYPE.request, 42, bytes('good'));
		fc.assert(
			fc.property(
				fc.array(
					fc.oneof(
						fc.uint8Array({ maxLength: 300 }),
						// Bytes that look like frame starts, to reach the deeper branches.
						fc
							.tuple(fc.integer({ min: 0, max: 3 }), fc.uint8Array({ maxLength: 12 }))
							.map(([v, rest]) => concat(Uint8Array.of(0x2f, 0x6e, v, 0x10, 1), rest))
					),
					{ maxLength: 20 }
				),
				(chunks) => {
					let now = 0;
					const parser = new FrameParser({ maxFrameBytes: 2048, now: () => now });
					for (const chunk of chunks) {
						const out = parser.push(chunk);
						expect(parser.bufferedBytes).toBeLessThanOrEqual(2048);
						for (const e of out) expect(['frame', 'error']).toContain(e.kind);
					}
					now += 1001;
					const out = parser.push(good);
					expect(frames(out).at(-1)?.seq).toBe(42);
				}
			),
			{ numRuns: 500 }
		);
	});

	it('round-trips any frames however the bytes are chunked (fuzz)', () => {
		const frameArb = fc.record({
			type: fc.constantFrom(0x10, 0x20, 0x30, 0x31, 0x35),
			seq: fc.integer({ min: 1, max: 127 }),
			data: fc.uint8Array({ maxLength: 200 })
		});
		fc.assert(
			fc.property(
				fc.array(frameArb, { minLength: 1, maxLength: 8 }),
				fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }),
				(list, cuts) => {
					const stream = concat(...list.map((f) => encodeFrame(f.type as 0x10, f.seq, f.data)));
					const parser = new FrameParser();
					const out: ParseEvent[] = [];
					for (let at = 0, i = 0; at < stream.length; i++) {
						const size = cuts[i % cuts.length] as number;
						out.push(...parser.push(stream.subarray(at, at + size)));
						at += size;
					}
					expect(errors(out)).toEqual([]);
					expect(frames(out).map((f) => [f.type, f.seq, hex(f.data)])).toEqual(
						list.map((f) => [f.type, f.seq, hex(f.data)])
					);
				}
			),
			{ numRuns: 300 }
		);
	});
});

describe('Reassembler', () => {
	const parse = (list: Uint8Array[]): Frame[] => frames(new FrameParser().push(concat(...list)));

	it('joins fragments and returns the whole message on the last one', () => {
		const message = bytes('x'.repeat(2100));
		const r = new Reassembler();
		const results = parse(encodeMessage(message, 5)).map((f) => r.accept(f));
		expect(results.map((x) => x.kind)).toEqual(['partial', 'partial', 'message']);
		const last = results[2];
		expect(last?.kind === 'message' && text(last.data)).toBe('x'.repeat(2100));
	});

	it("joins 'fragment'-mode fragments, including an exact multiple closed by an empty one", () => {
		const r = new Reassembler({ mode: 'fragment', maxFragment: 4 });
		const results = parse(
			encodeMessage(bytes('abcdefgh'), 6, { mode: 'fragment', maxFragment: 4 })
		).map((f) => r.accept(f));
		expect(results.map((x) => x.kind)).toEqual(['partial', 'partial', 'message']);
		const last = results[2];
		expect(last?.kind === 'message' && text(last.data)).toBe('abcdefgh');
	});

	it('drops a message whose next fragment starts over 500 ms later; answers it with 0x35', () => {
		let now = 0;
		const r = new Reassembler({ now: () => now });
		// Each fragment arrives whole at `now` (its first byte too).
		const at = (frame: Frame | undefined): Frame => ({ ...(frame as Frame), startedAt: now });
		const [first, second, third] = parse(encodeMessage(new Uint8Array(2100), 8));
		expect(r.accept(at(first)).kind).toBe('partial');
		now = 400;
		expect(r.accept(at(second)).kind).toBe('partial');
		now = 901;
		expect(r.accept(at(third))).toMatchObject({ kind: 'error', seq: 8, reply: 0x35 });
		expect(r.accept(at(third))).toMatchObject({ kind: 'error', reply: 0x35 });
		// The sender moves on with a new seq: that message is accepted.
		expect(r.accept(parse([encodeFrame(0x10, 9, bytes('ok'))])[0] as Frame).kind).toBe('message');
	});

	it('joins a long message at 9,600 baud, where one fragment alone takes a second on the wire', () => {
		let now = 0;
		const clock = () => now;
		const parser = new FrameParser({ now: clock });
		const r = new Reassembler({ now: clock });
		const message = new Uint8Array(2000).map((_, i) => i % 251);
		const wire = concat(...encodeMessage(message, 5));
		const results: ReassemblyResult[] = [];
		// 64-byte USB packets, each arriving when its bytes are through the 960 bytes/s line.
		for (let i = 0; i < wire.length; i += 64) {
			const packet = wire.subarray(i, i + 64);
			now += (packet.length / 960) * 1000;
			for (const event of parser.push(packet)) {
				if (event.kind === 'frame') results.push(r.accept(event.frame));
			}
		}
		expect(now).toBeGreaterThan(2000);
		expect(results.map((x) => x.kind)).toEqual(['partial', 'message']);
		const last = results[1];
		expect(last?.kind === 'message' && [...last.data]).toEqual([...message]);
	});

	it('answers fragments that disagree on the message length with 0x35', () => {
		const r = new Reassembler();
		expect(r.accept({ type: 0x10, seq: 2, dataLength: 10, data: new Uint8Array(4) }).kind).toBe(
			'partial'
		);
		expect(r.accept({ type: 0x10, seq: 2, dataLength: 12, data: new Uint8Array(4) })).toMatchObject(
			{ kind: 'error', reply: 0x35 }
		);
	});
});
