/**
 * A `SerialPort` wrapper that puts a real line's speed between the POS and the simulated
 * terminal: each direction carries `bytesPerSecond` (9,600 baud 8N1 = 960 bytes/s) and delivers
 * in USB-bridge packets of at most 64 bytes, each when its last byte would have arrived. Writes
 * resolve at once, as they do into the OS's transmit buffer on a real port.
 */
import type { SerialOptionsLike, SerialPortLike } from '$lib/terminals/haojin-usb/transport';

const PACKET = 64;

/** Bytes that reached the far end, per direction. */
export interface LineMeter {
	toTerminal: number;
	toPos: number;
}

/** One direction of the line: a clock of when it is next free. */
class Wire {
	readonly #msPerByte: number;
	#freeAt = 0;

	constructor(bytesPerSecond: number) {
		this.#msPerByte = 1000 / bytesPerSecond;
	}

	get freeAt(): number {
		return this.#freeAt;
	}

	send(chunk: Uint8Array, deliver: (packet: Uint8Array) => void): void {
		for (let at = 0; at < chunk.length; at += PACKET) {
			const packet = chunk.slice(at, at + PACKET);
			const now = performance.now();
			this.#freeAt = Math.max(now, this.#freeAt) + packet.length * this.#msPerByte;
			setTimeout(() => deliver(packet), this.#freeAt - now);
		}
	}
}

export class ThrottledPort implements SerialPortLike {
	readonly meter: LineMeter = { toTerminal: 0, toPos: 0 };
	readonly #inner: SerialPortLike;
	readonly #rate: number;
	#readable: ReadableStream<Uint8Array> | null = null;
	#writable: WritableStream<Uint8Array> | null = null;
	#innerReader: ReadableStreamDefaultReader<Uint8Array> | undefined;
	#innerWriter: WritableStreamDefaultWriter<Uint8Array> | undefined;

	constructor(inner: SerialPortLike, bytesPerSecond: number) {
		this.#inner = inner;
		this.#rate = bytesPerSecond;
	}

	get readable(): ReadableStream<Uint8Array> | null {
		return this.#readable;
	}

	get writable(): WritableStream<Uint8Array> | null {
		return this.#writable;
	}

	getInfo(): { usbVendorId?: number; usbProductId?: number } {
		return this.#inner.getInfo();
	}

	async open(options: SerialOptionsLike): Promise<void> {
		await this.#inner.open(options);
		const { readable, writable } = this.#inner;
		if (!readable || !writable) throw new Error('The simulated port has no streams');
		const reader = readable.getReader();
		const writer = writable.getWriter();
		this.#innerReader = reader;
		this.#innerWriter = writer;
		const meter = this.meter;
		const down = new Wire(this.#rate);
		const up = new Wire(this.#rate);
		this.#readable = new ReadableStream<Uint8Array>({
			start(controller) {
				// Not awaited: `start` must return for the stream to start serving reads.
				void (async () => {
					for (;;) {
						const next = await reader.read().catch(() => ({ done: true, value: undefined }));
						if (next.done || !next.value) break;
						down.send(next.value, (packet) => {
							meter.toPos += packet.length;
							try {
								controller.enqueue(packet);
							} catch {
								// The POS closed the port meanwhile.
							}
						});
					}
					const left = Math.max(0, down.freeAt - performance.now());
					setTimeout(() => {
						try {
							controller.close();
						} catch {
							// Already cancelled by the POS.
						}
					}, left);
				})();
			}
		});
		this.#writable = new WritableStream<Uint8Array>({
			write(chunk) {
				up.send(chunk, (packet) => {
					meter.toTerminal += packet.length;
					void writer.write(packet).catch(() => undefined);
				});
			}
		});
	}

	async close(): Promise<void> {
		await this.#innerReader?.cancel().catch(() => undefined);
		this.#innerReader?.releaseLock();
		this.#innerWriter?.releaseLock();
		this.#readable = null;
		this.#writable = null;
		await this.#inner.close();
	}
}
