import { z } from 'zod/mini';
import {
	requestSerialPrinter,
	requestUsbPrinter,
	type PrinterTransport
} from '$lib/printing/transports';
import { readLocal, writeLocal } from './local-store';

const KIND_KEY = 'pos.printer.kind';
const DRAWER_KEY = 'pos.printer.drawer';
const kindSchema = z.enum(['browser', 'usb', 'serial', 'simulated']);
export type PrinterKind = z.infer<typeof kindSchema>;

/**
 * The receipt printer of this till: the browser's print dialog (the fallback), an ESC/POS printer
 * on USB or serial, or in demo mode a simulated one that keeps the last job for Settings and the
 * checkout to show. The choice is kept on the device; the connection is made from a tap.
 */
export class ReceiptPrinter {
	#kind = $state<PrinterKind>(readLocal(KIND_KEY, kindSchema) ?? 'browser');
	#openDrawer = $state<boolean>(readLocal(DRAWER_KEY, z.boolean()) ?? true);
	#transport = $state.raw<PrinterTransport | null>(null);
	#lastJob = $state.raw<Uint8Array | null>(null);

	get kind(): PrinterKind {
		return this.#kind;
	}

	/** Prints as ESC/POS (not the browser's dialog). */
	get escPos(): boolean {
		return this.#kind !== 'browser';
	}

	get openDrawer(): boolean {
		return this.#openDrawer;
	}

	/** The connected printer's name, `null` while none is connected. */
	get connected(): string | null {
		return this.#kind === 'simulated' ? 'Simulated printer' : (this.#transport?.label ?? null);
	}

	/** The simulated printer's last job. */
	get lastJob(): Uint8Array | null {
		return this.#lastJob;
	}

	choose(kind: PrinterKind): void {
		void this.#transport?.close().catch(() => undefined);
		this.#transport = null;
		this.#kind = kind;
		writeLocal(KIND_KEY, kind);
	}

	setOpenDrawer(open: boolean): void {
		this.#openDrawer = open;
		writeLocal(DRAWER_KEY, open);
	}

	/** Asks the browser for the printer (its chooser): call from a tap. */
	async connect(): Promise<void> {
		if (this.#kind === 'usb') this.#transport = await requestUsbPrinter();
		else if (this.#kind === 'serial') this.#transport = await requestSerialPrinter();
	}

	async print(bytes: Uint8Array): Promise<void> {
		if (this.#kind === 'simulated') {
			this.#lastJob = bytes;
			return;
		}
		if (!this.#transport) await this.connect();
		if (!this.#transport)
			throw new Error('No receipt printer is connected: connect it in Settings.');
		await this.#transport.write(bytes);
	}
}
