/**
 * A fake WebUSB ESC/POS printer for `page.addInitScript(installUsbPrinter)`: replaces
 * `navigator.usb` with one whose `requestDevice()` (from a tap, as in Chrome) answers a device shaped
 * like a real receipt printer's descriptors: a vendor-specific interface first (as many printers
 * have), then the printer-class interface (7) with a bulk IN and a bulk OUT endpoint. The device
 * enforces WebUSB's order (open, configuration, claim, then transfers to a claimed interface's OUT
 * endpoint) and keeps every byte transferred out, for the test to decode. Self-contained (Playwright
 * sends the function's source to the page). Never part of the app's bundle.
 */
export interface UsbPrinterHandle {
	/** Everything the printer received, base64. */
	received(): string;
	/** What the page asked of the device, in order (`open`, `claim 1`, `out 2`, `close`...). */
	calls(): string[];
	/** The filters of each `requestDevice`. */
	requests(): unknown[];
}

declare global {
	interface Window {
		__usbPrinter?: UsbPrinterHandle;
	}
}

export function installUsbPrinter(): void {
	const received: number[] = [];
	const calls: string[] = [];
	const requests: unknown[] = [];
	const interfaces = [
		{
			interfaceNumber: 0,
			claimed: false,
			alternates: [
				{
					interfaceClass: 0xff,
					endpoints: [{ endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 }]
				}
			]
		},
		{
			interfaceNumber: 1,
			claimed: false,
			alternates: [
				{
					interfaceClass: 7,
					interfaceSubclass: 1,
					interfaceProtocol: 2,
					endpoints: [
						{ endpointNumber: 3, direction: 'in', type: 'bulk', packetSize: 64 },
						{ endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 }
					]
				}
			]
		}
	];
	const invalid = (message: string) => new DOMException(message, 'InvalidStateError');
	class FakeUsbPrinter {
		#opened = false;
		#configured = false;
		readonly vendorId = 0x0416;
		readonly productId = 0x5011;
		readonly productName = 'POS-80 Thermal Printer';
		get opened(): boolean {
			return this.#opened;
		}
		get configuration() {
			return this.#configured ? { configurationValue: 1, interfaces } : null;
		}
		async open(): Promise<void> {
			calls.push('open');
			this.#opened = true;
		}
		async close(): Promise<void> {
			calls.push('close');
			this.#opened = false;
			for (const iface of interfaces) iface.claimed = false;
		}
		async selectConfiguration(value: number): Promise<void> {
			if (!this.#opened) throw invalid('The device must be opened first.');
			if (value !== 1) throw new DOMException('Unknown configuration', 'NotFoundError');
			calls.push(`configuration ${value}`);
			this.#configured = true;
		}
		async claimInterface(number: number): Promise<void> {
			if (!this.#opened || !this.#configured) throw invalid('The device must be opened first.');
			const iface = interfaces.find((i) => i.interfaceNumber === number);
			if (!iface) throw new DOMException('No such interface', 'NotFoundError');
			calls.push(`claim ${number}`);
			iface.claimed = true;
		}
		async transferOut(endpoint: number, data: BufferSource): Promise<{ status: string }> {
			if (!this.#opened) throw invalid('The device must be opened first.');
			const owner = interfaces.find((i) =>
				i.alternates[0]!.endpoints.some(
					(e) => e.endpointNumber === endpoint && e.direction === 'out'
				)
			);
			if (!owner) throw new DOMException('No such OUT endpoint', 'NotFoundError');
			if (!owner.claimed) throw invalid('The interface of this endpoint is not claimed.');
			const bytes =
				data instanceof ArrayBuffer
					? new Uint8Array(data)
					: new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
			calls.push(`out ${endpoint}`);
			received.push(...bytes);
			return { status: 'ok', bytesWritten: bytes.length } as { status: string };
		}
	}
	const device = new FakeUsbPrinter();
	const usb = {
		async requestDevice(options: { filters: unknown[] }) {
			requests.push(structuredClone(options?.filters));
			if (!navigator.userActivation.isActive)
				throw new DOMException(
					'Must be handling a user gesture to show a permission request.',
					'SecurityError'
				);
			return device;
		},
		async getDevices() {
			return [device];
		},
		addEventListener() {},
		removeEventListener() {}
	};
	Object.defineProperty(navigator, 'usb', { configurable: true, get: () => usb });
	window.__usbPrinter = {
		received: () => btoa(String.fromCharCode(...received)),
		calls: () => [...calls],
		requests: () => structuredClone(requests)
	};
}
