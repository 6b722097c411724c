/**
 * What the fake `navigator.serial` init script exposes to the end-to-end tests, and the settings
 * they pass it before it runs (`window.__haojinSimConfig`).
 */
import type {
	HaojinFaults,
	SimRequest,
	SimTransaction
} from '../../src/lib/terminals/haojin-usb/simulator';

export interface FakeSerialConfig {
	/** How long the customer takes with the card (ms). */
	cardMs?: number;
	/** The POS-KEY the terminal holds (default: the factory key). */
	posKey?: string;
}

export interface HaojinSimHandle {
	setFaults(faults: Partial<HaojinFaults>): void;
	/** Every transaction the terminal made, including those before a reload of the page. */
	log(): SimTransaction[];
	/** The requests it understood since the page loaded. */
	requests(): SimRequest[];
	unplug(): void;
	plug(): void;
}

declare global {
	interface Window {
		__haojinSim?: HaojinSimHandle;
		__haojinSimConfig?: FakeSerialConfig;
	}
}
