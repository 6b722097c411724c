/**
 * A Web Serial `SerialPort` stand-in wired to the simulator's cable: new streams on every
 * `open`, `close` refused while a stream is locked (as in Chrome), `disconnect`/`connect` events
 * when the simulator is unplugged and plugged back. Browser-compatible, for vitest and for
 * Playwright's `addInitScript` (as `navigator.serial.getPorts()`'s answer).
 */
import type { HaojinSimulator, SimCable } from './haojin-simulator';

export interface FakeSerialOptions {
	baudRate: number;
	dataBits?: number;
	stopBits?: number;
	parity?: string;
	flowControl?: string;
}

/** A QinHeng CH340 USB-serial bridge, as found in Haojin cradles. */
const DEFAULT_INFO = { usbVendorId: 0x1a86, usbProductId: 0x7523 };

export class FakeSerialPort extends EventTarget {
	readonly #sim: HaojinSimulator;
	readonly #info: { usbVendorId?: number; usbProductId?: number };
	#cable: SimCable | undefined;
	#readable: ReadableStream<Uint8Array> | null = null;
	#writable: WritableStream<Uint8Array> | null = null;
	/** The options of the last successful `open`, for tests. */
	openedWith: FakeSerialOptions | undefined;
	opens = 0;

	constructor(sim: HaojinSimulator, info = DEFAULT_INFO) {
		super();
		this.#sim = sim;
		this.#info = info;
		sim.onPlug((event) => {
			if (event === 'disconnect') {
				// Chrome drops the streams of an unplugged port (reads reject with NetworkError).
				this.#cable = undefined;
				this.#readable = null;
				this.#writable = null;
			}
			this.dispatchEvent(new Event(event));
		});
	}

	get readable(): ReadableStream<Uint8Array> | null {
		return this.#readable;
	}

	get writable(): WritableStream<Uint8Array> | null {
		return this.#writable;
	}

	getInfo(): { usbVendorId?: number; usbProductId?: number } {
		return { ...this.#info };
	}

	async open(options: FakeSerialOptions): Promise<void> {
		if (this.#cable) throw new DOMException('The port is already open.', 'InvalidStateError');
		if (!options || !(options.baudRate > 0)) throw new TypeError('A baudRate is required');
		if (!this.#sim.plugged) throw new DOMException('Failed to open serial port.', 'NetworkError');
		const cable = this.#sim.connect();
		this.#cable = cable;
		this.#readable = cable.readable;
		this.#writable = cable.writable;
		this.openedWith = { ...options };
		this.opens++;
	}

	async close(): Promise<void> {
		const cable = this.#cable;
		if (this.#readable?.locked || this.#writable?.locked) {
			throw new TypeError('Cannot close a port whose streams are locked');
		}
		this.#cable = undefined;
		const readable = this.#readable;
		const writable = this.#writable;
		this.#readable = null;
		this.#writable = null;
		if (cable) this.#sim.hangUp(cable);
		await readable?.cancel().catch(() => undefined);
		await writable?.close().catch(() => undefined);
	}
}

export function createFakeSerialPort(sim: HaojinSimulator, info = DEFAULT_INFO): FakeSerialPort {
	return new FakeSerialPort(sim, info);
}
