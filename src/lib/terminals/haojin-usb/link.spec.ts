import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TerminalError } from '../driver';
import {
	FRAME_TYPE,
	FrameParser,
	encodeAck,
	encodeError,
	encodeFrame,
	encodeMessage
} from './frame-codec';
import { HaojinLink, type LinkOptions } from './link';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A link whose writes are recorded and parsed back into frames. */
function setup(options: Partial<LinkOptions> = {}) {
	const written: Uint8Array[] = [];
	const messages: string[] = [];
	const parser = new FrameParser();
	const link = new HaojinLink({
		write: async (b) => {
			written.push(b);
		},
		onMessage: (t) => messages.push(t),
		...options
	});
	const sentFrames = () =>
		written.flatMap((b) => parser.push(b)).flatMap((e) => (e.kind === 'frame' ? [e.frame] : []));
	return { link, written, messages, sentFrames };
}

async function rejection(promise: Promise<unknown>): Promise<TerminalError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(TerminalError);
		return error as TerminalError;
	}
	throw new Error('expected a rejection');
}

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('HaojinLink sending', () => {
	it('resolves when the terminal acks the frame with the same seq', async () => {
		const { link, sentFrames } = setup();
		const sent = link.send('hello');
		await vi.advanceTimersByTimeAsync(0);
		const [frame] = sentFrames();
		expect(frame).toMatchObject({ type: 0x10, seq: 1 });
		link.receive(encodeAck(2)); // someone else's ack: ignored
		link.receive(encodeAck(1));
		await expect(sent).resolves.toBeUndefined();
	});

	it('fails after 1000 ms without an ack; the bytes went out, so it may have reached the terminal', async () => {
		const { link } = setup();
		const sent = rejection(link.send('hello'));
		await vi.advanceTimersByTimeAsync(999);
		link.receive(encodeAck(7));
		await vi.advanceTimersByTimeAsync(2);
		const error = await sent;
		expect(error.code).toBe('timeout');
		expect(error.mayHaveReachedTerminal).toBe(true);
	});

	it('says the request cannot have reached the terminal when the port refused the write', async () => {
		const { link } = setup({
			write: () => Promise.reject(new TerminalError('not_connected', 'closed', false))
		});
		const error = await rejection(link.send('x'));
		expect(error).toMatchObject({ code: 'connection_lost', mayHaveReachedTerminal: false });
	});

	it('fails a fragmented send cut off before its last fragment as not having reached the terminal', async () => {
		let release: () => void = () => undefined;
		const { link } = setup({
			write: () => new Promise<void>((resolve) => (release = resolve))
		});
		const sent = rejection(link.send('x'.repeat(3000)));
		await vi.advanceTimersByTimeAsync(0);
		release(); // first fragment written
		await vi.advanceTimersByTimeAsync(0);
		link.fail('unplugged');
		const error = await sent;
		expect(error).toMatchObject({ code: 'connection_lost', mayHaveReachedTerminal: false });
	});

	it('fails as maybe-reached when the port goes away after the whole message was written', async () => {
		const { link } = setup();
		const sent = rejection(link.send('x'.repeat(3000)));
		await vi.advanceTimersByTimeAsync(10);
		link.fail('unplugged');
		expect(await sent).toMatchObject({ code: 'connection_lost', mayHaveReachedTerminal: true });
	});

	it('sends again with a new seq after a transmission error frame, then gives up', async () => {
		const { link, sentFrames } = setup();
		const first = link.send('a');
		await vi.advanceTimersByTimeAsync(0);
		link.receive(encodeError(FRAME_TYPE.formatError, 1));
		await vi.advanceTimersByTimeAsync(0);
		link.receive(encodeAck(2));
		await expect(first).resolves.toBeUndefined();
		expect(sentFrames().map((f) => f.seq)).toEqual([1, 2]);

		const second = rejection(link.send('b'));
		await vi.advanceTimersByTimeAsync(0);
		link.receive(encodeError(FRAME_TYPE.checkError, 3));
		await vi.advanceTimersByTimeAsync(0);
		link.receive(encodeError(FRAME_TYPE.checkError, 4));
		expect(await second).toMatchObject({ code: 'protocol', mayHaveReachedTerminal: false });
	});

	it('sends one message at a time', async () => {
		const { link, sentFrames } = setup();
		const a = link.send('a');
		const b = link.send('b');
		await vi.advanceTimersByTimeAsync(0);
		expect(sentFrames()).toHaveLength(1);
		link.receive(encodeAck(1));
		await a;
		await vi.advanceTimersByTimeAsync(0);
		link.receive(encodeAck(2));
		await b;
	});
});

describe('HaojinLink receiving', () => {
	it('acks a request frame with its seq and delivers the text once, even if repeated', async () => {
		const { link, messages, sentFrames } = setup();
		const frame = encodeFrame(FRAME_TYPE.request, 9, bytes('{"respcd":"6000"}'));
		link.receive(frame);
		link.receive(frame); // our ack was lost, the terminal repeats
		await vi.advanceTimersByTimeAsync(0);
		expect(messages).toEqual(['{"respcd":"6000"}']);
		expect(sentFrames().map((f) => [f.type, f.seq])).toEqual([
			[0x20, 9],
			[0x20, 9]
		]);
	});

	it('reassembles a fragmented message byte by byte before acking it once', async () => {
		const { link, messages, sentFrames } = setup();
		const text = 'b'.repeat(2500);
		for (const frame of encodeMessage(bytes(text), 12)) {
			for (const byte of frame) link.receive(Uint8Array.of(byte));
		}
		await vi.advanceTimersByTimeAsync(0);
		expect(messages).toEqual([text]);
		expect(sentFrames().map((f) => [f.type, f.seq])).toEqual([[0x20, 12]]);
	});

	it('answers a malformed frame with error 0x31 for its seq', async () => {
		const { link, sentFrames, messages } = setup();
		const broken = encodeFrame(FRAME_TYPE.request, 5, bytes('zz'));
		broken[broken.length - 2] = 0x00;
		link.receive(broken);
		await vi.advanceTimersByTimeAsync(0);
		expect(messages).toEqual([]);
		expect(sentFrames().map((f) => [f.type, f.seq])).toEqual([[0x31, 5]]);
	});

	it('answers a late fragment of a dropped message with error 0x35', async () => {
		let now = 0;
		const { link, sentFrames, messages } = setup({ now: () => now });
		const [first, second] = encodeMessage(new Uint8Array(1500).fill(0x41), 20);
		link.receive(first as Uint8Array);
		now = 600;
		link.receive(second as Uint8Array);
		await vi.advanceTimersByTimeAsync(0);
		expect(messages).toEqual([]);
		expect(sentFrames().map((f) => [f.type, f.seq])).toEqual([[0x35, 20]]);
	});

	it('answers data that is not UTF-8 with error 0x34', async () => {
		const { link, sentFrames, messages } = setup();
		link.receive(encodeFrame(FRAME_TYPE.request, 6, Uint8Array.of(0xff, 0xfe)));
		await vi.advanceTimersByTimeAsync(0);
		expect(messages).toEqual([]);
		expect(sentFrames().map((f) => [f.type, f.seq])).toEqual([[0x34, 6]]);
	});

	it('a noise header stalled before its seq is checked costs nothing: the next result is delivered', async () => {
		let now = 0;
		const { link, sentFrames, messages } = setup({ now: () => now });
		// Start marker, version, type, then 0x00 where the seq goes; then silence.
		link.receive(Uint8Array.of(0x2f, 0x6e, 0x01, 0x10, 0x00));
		now = 1500;
		link.receive(encodeFrame(FRAME_TYPE.request, 9, bytes('RESULT')));
		await vi.advanceTimersByTimeAsync(0);
		expect(messages).toEqual(['RESULT']);
		expect(sentFrames().map((f) => [f.type, f.seq])).toEqual([[0x20, 9]]);
	});

	it('whatever comes before it, a whole request frame after a silence is delivered and acked', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }),
				async (noise) => {
					let now = 0;
					const { link, sentFrames, messages } = setup({ now: () => now });
					for (const chunk of noise) {
						expect(() => link.receive(chunk)).not.toThrow();
						now += 10;
					}
					now += 1500; // past the stall limit: leftovers are dropped
					link.receive(encodeFrame(FRAME_TYPE.request, 77, bytes('AFTER NOISE')));
					await vi.advanceTimersByTimeAsync(0);
					expect(messages.at(-1)).toBe('AFTER NOISE');
					expect(sentFrames().some((f) => f.type === 0x20 && f.seq === 77)).toBe(true);
				}
			),
			{ numRuns: 200 }
		);
	});
});
