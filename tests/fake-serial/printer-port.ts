/**
 * A fake Web Serial ESC/POS printer for `page.addInitScript(installSerialPrinter)`: replaces
 * `navigator.serial` with one whose `requestPort()` (from a tap, as in Chrome) answers a port made
 * of real web streams; every byte written to it is kept, for the test to decode. Self-contained
 * (Playwright sends the function's source to the page). Never part of the app's bundle.
 */
export interface SerialPrinterHandle {
	/** Everything the printer received, base64. */
	received(): string;
	/** The options of each `open`. */
	opens(): { baudRate: number }[];
}

declare global {
	interface Window {
		__serialPrinter?: SerialPrinterHandle;
	}
}

export function installSerialPrinter(): void {
	const received: number[] = [];
	const opens: { baudRate: number }[] = [];
	class FakePrinterPort extends EventTarget {
		#writable: WritableStream<Uint8Array> | null = null;
		get readable(): ReadableStream<Uint8Array> | null {
			return null;
		}
		get writable(): WritableStream<Uint8Array> | null {
			return this.#writable;
		}
		getInfo() {
			// A Prolific PL2303 USB-serial bridge, common in receipt printers.
			return { usbVendorId: 0x067b, usbProductId: 0x2303 };
		}
		async open(options: { baudRate: number }): Promise<void> {
			if (this.#writable) throw new DOMException('The port is already open.', 'InvalidStateError');
			if (!options || !(options.baudRate > 0)) throw new TypeError('A baudRate is required');
			opens.push({ ...options });
			this.#writable = new WritableStream<Uint8Array>({
				write(chunk) {
					if (!(chunk instanceof Uint8Array)) throw new TypeError('Only bytes go to a port');
					received.push(...chunk);
				}
			});
		}
		async close(): Promise<void> {
			if (this.#writable?.locked)
				throw new DOMException('The port has a locked stream.', 'InvalidStateError');
			await this.#writable?.close();
			this.#writable = null;
		}
	}
	const port = new FakePrinterPort();
	const serial = {
		async requestPort() {
			if (!navigator.userActivation.isActive)
				throw new DOMException(
					'Must be handling a user gesture to show a permission request.',
					'SecurityError'
				);
			return port;
		},
		async getPorts() {
			return [port];
		},
		addEventListener() {},
		removeEventListener() {}
	};
	Object.defineProperty(navigator, 'serial', { configurable: true, get: () => serial });
	window.__serialPrinter = {
		received: () => btoa(String.fromCharCode(...received)),
		opens: () => structuredClone(opens)
	};
}
