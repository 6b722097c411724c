/**
 * Where ESC/POS bytes go: a USB printer (WebUSB, printer class 7, its bulk OUT endpoint) or a
 * serial one (Web Serial: a USB-serial or Bluetooth SPP printer). Each asks the browser's chooser,
 * so it must start from a tap. Only the bits of both APIs used here are typed.
 */
export interface PrinterTransport {
	readonly label: string;
	write(bytes: Uint8Array): Promise<void>;
	close(): Promise<void>;
}

interface UsbEndpoint {
	endpointNumber: number;
	direction: 'in' | 'out';
	type: 'bulk' | 'interrupt' | 'isochronous';
}
interface UsbInterface {
	interfaceNumber: number;
	alternates: { interfaceClass: number; endpoints: UsbEndpoint[] }[];
}
interface UsbDevice {
	productName?: string;
	configuration: { interfaces: UsbInterface[] } | null;
	open(): Promise<void>;
	close(): Promise<void>;
	selectConfiguration(value: number): Promise<void>;
	claimInterface(number: number): Promise<void>;
	transferOut(endpoint: number, data: Uint8Array): Promise<{ status: string }>;
}
interface UsbLike {
	requestDevice(options: { filters: { classCode: number }[] }): Promise<UsbDevice>;
}
interface SerialPortLike {
	writable: WritableStream<Uint8Array> | null;
	open(options: { baudRate: number }): Promise<void>;
	close(): Promise<void>;
}
interface SerialLike {
	requestPort(): Promise<SerialPortLike>;
}

/** The USB printer class (USB-IF). */
const PRINTER_CLASS = 7;

export function hasWebUsb(): boolean {
	return typeof navigator !== 'undefined' && 'usb' in navigator;
}

export function hasWebSerial(): boolean {
	return typeof navigator !== 'undefined' && 'serial' in navigator;
}

export async function requestUsbPrinter(): Promise<PrinterTransport> {
	const usb = (navigator as unknown as { usb?: UsbLike }).usb;
	if (!usb) throw new Error('This browser cannot reach USB printers (WebUSB): use Chrome or Edge.');
	const device = await usb.requestDevice({ filters: [{ classCode: PRINTER_CLASS }] });
	await device.open();
	if (!device.configuration) await device.selectConfiguration(1);
	const found = device.configuration?.interfaces
		.map((iface) => ({
			iface,
			out: iface.alternates
				.find((alt) => alt.interfaceClass === PRINTER_CLASS)
				?.endpoints.find((e) => e.direction === 'out' && e.type === 'bulk')
		}))
		.find((entry) => entry.out);
	if (!found?.out) throw new Error('This USB device is not a printer the POS can write to.');
	await device.claimInterface(found.iface.interfaceNumber);
	const endpoint = found.out.endpointNumber;
	return {
		label: device.productName ?? 'USB printer',
		write: async (bytes) => {
			const result = await device.transferOut(endpoint, bytes);
			if (result.status !== 'ok')
				throw new Error(`The printer did not take the job (${result.status}).`);
		},
		close: () => device.close()
	};
}

export async function requestSerialPrinter(baudRate = 9600): Promise<PrinterTransport> {
	const serial = (navigator as unknown as { serial?: SerialLike }).serial;
	if (!serial)
		throw new Error('This browser cannot reach serial printers (Web Serial): use Chrome or Edge.');
	const port = await serial.requestPort();
	await port.open({ baudRate });
	return {
		label: 'Serial printer',
		write: async (bytes) => {
			const writer = port.writable?.getWriter();
			if (!writer) throw new Error('The serial printer is not open.');
			try {
				await writer.write(bytes);
			} finally {
				writer.releaseLock();
			}
		},
		close: () => port.close()
	};
}
