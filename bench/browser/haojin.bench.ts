/**
 * Haojin USB: the frame codec's throughput, and a whole sale through driver, link, envelope and
 * simulated terminal over a line throttled to 9,600 baud, compared with the bytes' own wire time.
 */
import {
	createFakeSerialPort,
	createHaojinSimulator
} from '../../src/lib/terminals/haojin-usb/simulator';
import type { TerminalConfig } from '$lib/terminals/driver';
import {
	FrameParser,
	MAX_FRAGMENT_DATA,
	Reassembler,
	encodeMessage,
	nextSeq
} from '$lib/terminals/haojin-usb/frame-codec';
import { HaojinUsbDriver } from '$lib/terminals/haojin-usb/haojin-driver';
import { median, ms, type Figure } from '../stats';
import { ThrottledPort } from './throttled-port';

/** 9,600 baud, 8N1: ten bits on the wire per byte. */
const BYTES_PER_SECOND = 960;
const USB_PACKET = 64;

/** Base64 text, as the envelopes carry. */
function payload(size: number): Uint8Array {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	const out = new Uint8Array(size);
	for (let i = 0; i < size; i++) out[i] = alphabet.charCodeAt((i * 7 + (i >> 3)) % 64);
	return out;
}

/**
 * Encode a message into frames, feed the bytes to the parser in USB-sized packets and
 * reassemble it, for `seconds`; MB/s of message bytes (1 MB = 10^6 bytes).
 */
export function codec(messageBytes: number, seconds: number): Figure {
	const message = payload(messageBytes);
	const parser = new FrameParser();
	const reassembler = new Reassembler();
	let seq = 0;
	let bytes = 0;
	let messages = 0;
	let wrong = 0;
	const deadline = performance.now() + seconds * 1000;
	const start = performance.now();
	while (performance.now() < deadline) {
		for (let k = 0; k < 50; k++) {
			seq = nextSeq(seq);
			let got: Uint8Array | undefined;
			for (const frame of encodeMessage(message, seq)) {
				for (let at = 0; at < frame.length; at += USB_PACKET) {
					for (const event of parser.push(frame.subarray(at, at + USB_PACKET))) {
						if (event.kind !== 'frame') continue;
						const result = reassembler.accept(event.frame);
						if (result.kind === 'message') got = result.data;
					}
				}
			}
			if (got?.length !== message.length) wrong++;
			bytes += message.length;
			messages++;
		}
	}
	const elapsed = (performance.now() - start) / 1000;
	const mbps = bytes / 1e6 / elapsed;
	return {
		bench: 'haojin.codec',
		mb_per_s: Math.round(mbps * 100) / 100,
		message_bytes: messageBytes,
		fragment_bytes: MAX_FRAGMENT_DATA,
		messages,
		wrong,
		// A 9,600-baud line moves 0.00096 MB/s: the codec must never be what a sale waits for.
		target: 'mb_per_s>=1',
		ok: mbps >= 1 && wrong === 0
	};
}

/** Sales at 9,600 baud with no card time: total time over the time the bytes need on the wire. */
export async function sale(count: number): Promise<Figure> {
	const simulator = createHaojinSimulator({ cardMs: 0 });
	const port = new ThrottledPort(createFakeSerialPort(simulator), BYTES_PER_SECOND);
	const config: TerminalConfig = {
		id: 'hj-bench',
		name: 'Bench',
		rail: 'haojin-usb',
		currency: 'HKD',
		params: {}
	};
	const driver = new HaojinUsbDriver(config, { port });
	await driver.connect();
	const ratios: number[] = [];
	const totals: number[] = [];
	const wireBytes: number[] = [];
	let declined = 0;
	try {
		for (let i = 0; i < count; i++) {
			const before = port.meter.toPos + port.meter.toTerminal;
			const start = performance.now();
			const outcome = await driver.sale({
				merchantOrderNo: `BENCH${Date.now()}${i}`,
				amount: 1010 + i,
				tip: 0,
				currency: 'HKD'
			});
			const took = performance.now() - start;
			const bytes = port.meter.toPos + port.meter.toTerminal - before;
			if (outcome.status !== 'approved') declined++;
			totals.push(took);
			wireBytes.push(bytes);
			ratios.push(took / ((bytes * 1000) / BYTES_PER_SECOND));
			// Let the POS's final ack drain, so the next sale starts on a quiet line.
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	} finally {
		await driver.disconnect().catch(() => undefined);
	}
	const ratio = median(ratios);
	return {
		bench: 'haojin.sale_9600',
		ratio: Math.round(ratio * 1000) / 1000,
		worst_ratio: Math.round(Math.max(...ratios) * 1000) / 1000,
		median_ms: ms(median(totals)),
		wire_bytes: median(wireBytes),
		n: count,
		not_approved: declined,
		frame_errors: simulator.frameErrors,
		target: 'ratio<=1.10',
		ok: ratio <= 1.1 && declined === 0
	};
}
