import { describe, expect, it, vi } from 'vitest';
import { TerminalError } from '../driver';
import { SerialTransport, type SerialOptionsLike, type SerialPortLike } from './transport';

/**
 * A port on real web streams that, like Chrome, hands out a fresh `readable` after a recoverable
 * read error and refuses to close while a stream is locked.
 */
class TestPort extends EventTarget implements SerialPortLike {
	readable: ReadableStream<Uint8Array> | null = null;
	writable: WritableStream<Uint8Array> | null = null;
	controller: ReadableStreamDefaultController<Uint8Array> | undefined;
	written: number[] = [];
	options: SerialOptionsLike | undefined;
	closed = 0;

	async open(options: SerialOptionsLike): Promise<void> {
		this.options = options;
		this.#newReadable();
		this.writable = new WritableStream({ write: (chunk) => void this.written.push(...chunk) });
	}

	#newReadable(): void {
		this.readable = new ReadableStream({ start: (c) => void (this.controller = c) });
	}

	send(...bytes: number[]): void {
		this.controller?.enqueue(Uint8Array.from(bytes));
	}

	failRead(name: string, recoverable: boolean): void {
		this.controller?.error(new DOMException('read failed', name));
		if (recoverable) this.#newReadable();
		else this.readable = null;
	}

	async close(): Promise<void> {
		if (this.readable?.locked || this.writable?.locked) throw new TypeError('locked');
		this.readable = null;
		this.writable = null;
		this.closed++;
	}

	getInfo() {
		return { usbVendorId: 1, usbProductId: 2 };
	}
}

function setup() {
	const port = new TestPort();
	const data: number[] = [];
	const handlers = {
		onData: (chunk: Uint8Array) => void data.push(...chunk),
		onLost: vi.fn<(reason: string) => void>(),
		onConnect: vi.fn<() => void>(),
		onReadError: vi.fn<(error: unknown) => void>()
	};
	const transport = new SerialTransport(port, handlers);
	return { port, data, handlers, transport };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SerialTransport', () => {
	it('opens 9600 8N1 by default, reads and writes', async () => {
		const { port, data, transport } = setup();
		await transport.open();
		expect(port.options).toEqual({
			baudRate: 9600,
			dataBits: 8,
			stopBits: 1,
			parity: 'none',
			flowControl: 'none'
		});
		port.send(1, 2);
		port.send(3);
		await transport.write(Uint8Array.of(9, 8));
		await tick();
		expect(data).toEqual([1, 2, 3]);
		expect(port.written).toEqual([9, 8]);
	});

	it('takes other line settings', async () => {
		const port = new TestPort();
		const transport = new SerialTransport(
			port,
			{ onData: () => undefined, onLost: () => undefined },
			{ baudRate: 115200 }
		);
		await transport.open();
		expect(port.options?.baudRate).toBe(115200);
		await transport.close();
	});

	it('keeps reading after a recoverable error (framing, parity, break, overrun)', async () => {
		const { port, data, handlers, transport } = setup();
		await transport.open();
		port.failRead('FramingError', true);
		await tick();
		port.send(7);
		await tick();
		expect(handlers.onReadError).toHaveBeenCalledOnce();
		expect(handlers.onLost).not.toHaveBeenCalled();
		expect(data).toEqual([7]);
		expect(transport.state).toBe('open');
	});

	it('reports a fatal read error once, releases its locks and closes the port', async () => {
		const { port, handlers, transport } = setup();
		await transport.open();
		port.failRead('NetworkError', false);
		await tick();
		await tick();
		expect(handlers.onLost).toHaveBeenCalledOnce();
		expect(handlers.onLost.mock.calls[0]?.[0]).toMatch(/NetworkError/);
		expect(transport.state).toBe('lost');
		expect(port.closed).toBe(1);
	});

	it('treats a disconnect event as lost and passes connect events on', async () => {
		const { port, handlers, transport } = setup();
		await transport.open();
		port.dispatchEvent(new Event('disconnect'));
		port.failRead('NetworkError', false);
		await tick();
		expect(handlers.onLost).toHaveBeenCalledOnce();
		expect(handlers.onLost.mock.calls[0]?.[0]).toMatch(/unplugged/);
		port.dispatchEvent(new Event('connect'));
		expect(handlers.onConnect).toHaveBeenCalledOnce();
		await transport.open(); // reopening after a loss works
		expect(transport.state).toBe('open');
	});

	it('closes cleanly (no locks left) and then refuses writes', async () => {
		const { port, handlers, transport } = setup();
		await transport.open();
		await transport.close();
		expect(port.closed).toBe(1);
		expect(transport.state).toBe('closed');
		expect(handlers.onLost).not.toHaveBeenCalled();
		const error = await transport.write(Uint8Array.of(1)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TerminalError);
		expect(error).toMatchObject({ code: 'not_connected', mayHaveReachedTerminal: false });
	});

	it('explains a port that will not open', async () => {
		const port = new TestPort();
		port.open = () =>
			Promise.reject(new DOMException('Failed to open serial port.', 'NetworkError'));
		const transport = new SerialTransport(port, {
			onData: () => undefined,
			onLost: () => undefined
		});
		await expect(transport.open()).rejects.toMatchObject({
			code: 'unreachable',
			mayHaveReachedTerminal: false
		});
		expect(transport.state).toBe('closed');
	});
});
