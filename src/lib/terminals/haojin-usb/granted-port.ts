/**
 * The terminal's port, found again among the ports the user already granted (NOTES.md §3:
 * `getPorts()` reopens without a prompt). The chosen device is remembered by its USB ids in the
 * terminal's params; every `open` looks it up afresh, so a replugged device works whether the
 * browser hands back the same `SerialPort` object or a new one.
 */
import type { SerialLike } from './web-serial';
import type { SerialOptionsLike, SerialPortLike } from './transport';

export interface UsbIds {
	usbVendorId: number;
	usbProductId: number;
}

/** `navigator.serial` with its events (`connect` bubbles up to it from the port in Chrome). */
export interface SerialWithEvents extends SerialLike {
	addEventListener?(type: 'connect' | 'disconnect', listener: () => void): void;
	removeEventListener?(type: 'connect' | 'disconnect', listener: () => void): void;
}

const isId = (value: unknown): value is number =>
	typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff;

/** The USB ids saved in a terminal's params, if a port was chosen. */
export function usbIdsFromParams(params: Record<string, unknown>): UsbIds | undefined {
	const { usbVendorId, usbProductId } = params;
	return isId(usbVendorId) && isId(usbProductId) ? { usbVendorId, usbProductId } : undefined;
}

/** The ids of a chosen port, or `undefined` for a port that is not a USB device. */
export function usbIdsOf(port: SerialPortLike): UsbIds | undefined {
	return usbIdsFromParams(port.getInfo());
}

export function formatUsbIds(ids: UsbIds): string {
	const hex = (n: number) => n.toString(16).padStart(4, '0');
	return `USB ${hex(ids.usbVendorId)}:${hex(ids.usbProductId)}`;
}

function matches(port: SerialPortLike, ids: UsbIds): boolean {
	const info = port.getInfo();
	return info.usbVendorId === ids.usbVendorId && info.usbProductId === ids.usbProductId;
}

type PlugEvent = 'connect' | 'disconnect';

export class GrantedPort implements SerialPortLike {
	readonly #serial: SerialWithEvents;
	readonly #ids: UsbIds;
	readonly #listeners: Record<PlugEvent, Set<() => void>> = {
		connect: new Set(),
		disconnect: new Set()
	};
	#current: SerialPortLike | undefined;
	/** Between a successful `open` and the unplug or `close`. */
	#isOpen = false;
	#announcing = false;
	readonly #onDisconnect = (): void => {
		this.#isOpen = false;
		this.#emit('disconnect');
	};
	/** A granted device appeared: announce it if it is ours and not open (once per appearance). */
	readonly #onConnect = (): void => {
		if (this.#isOpen || this.#announcing) return;
		this.#announcing = true;
		void this.find()
			.then((port) => {
				if (port && !this.#isOpen) this.#emit('connect');
			})
			.catch(() => undefined)
			.finally(() => (this.#announcing = false));
	};

	constructor(serial: SerialWithEvents, ids: UsbIds) {
		this.#serial = serial;
		this.#ids = ids;
	}

	/** The granted port of the chosen device, if it is plugged in. */
	async find(): Promise<SerialPortLike | undefined> {
		const ports = await this.#serial.getPorts();
		return ports.find((port) => matches(port, this.#ids));
	}

	get readable(): ReadableStream<Uint8Array> | null {
		return this.#current?.readable ?? null;
	}

	get writable(): WritableStream<Uint8Array> | null {
		return this.#current?.writable ?? null;
	}

	getInfo(): { usbVendorId?: number; usbProductId?: number } {
		return { ...this.#ids };
	}

	async open(options: SerialOptionsLike): Promise<void> {
		const port = await this.find();
		if (!port) {
			throw new DOMException(
				`the terminal (${formatUsbIds(this.#ids)}) is not plugged in, or this browser no longer ` +
					'has permission to use it; connect it again in Settings',
				'NotFoundError'
			);
		}
		await port.open(options);
		if (this.#current !== port) {
			this.#current?.removeEventListener?.('disconnect', this.#onDisconnect);
			port.addEventListener?.('disconnect', this.#onDisconnect);
		}
		this.#current = port;
		this.#isOpen = true;
	}

	async close(): Promise<void> {
		this.#isOpen = false;
		await this.#current?.close();
	}

	addEventListener(type: PlugEvent, listener: () => void): void {
		const hadAny = this.#listenerCount() > 0;
		this.#listeners[type].add(listener);
		// Listening on `navigator.serial` only while someone listens here, so a dropped driver leaks
		// nothing.
		if (!hadAny) this.#serial.addEventListener?.('connect', this.#onConnect);
	}

	removeEventListener(type: PlugEvent, listener: () => void): void {
		this.#listeners[type].delete(listener);
		if (this.#listenerCount() === 0) {
			this.#serial.removeEventListener?.('connect', this.#onConnect);
			this.#current?.removeEventListener?.('disconnect', this.#onDisconnect);
		}
	}

	#listenerCount(): number {
		return this.#listeners.connect.size + this.#listeners.disconnect.size;
	}

	#emit(type: PlugEvent): void {
		for (const listener of this.#listeners[type]) listener();
	}
}
