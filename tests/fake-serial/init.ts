/**
 * Playwright init script (bundled by `build.ts`, injected with `page.addInitScript`): replaces
 * `navigator.serial` with one simulated Haojin terminal behind a fake `SerialPort` made of real web
 * streams. The terminal outlives a reload of the page, as a real one does: its transactions and the
 * port permission are kept in sessionStorage, and a sale the page stopped waiting for finishes
 * (approved) while the page is away. Never part of the app's bundle.
 */
import {
	createHaojinSimulator,
	type HaojinFaults,
	type SimTransaction
} from '../../src/lib/terminals/haojin-usb/simulator';
import { SimulatedSerial } from '../../src/lib/terminals/haojin-usb/simulated-serial';
import type { HaojinSimHandle } from './handle';

const STATE_KEY = '__haojinSim';

interface Saved {
	granted: boolean;
	log: SimTransaction[];
}

function readSaved(): Saved | undefined {
	try {
		const text = sessionStorage.getItem(STATE_KEY);
		return text ? (JSON.parse(text) as Saved) : undefined;
	} catch {
		return undefined; // about:blank and other opaque origins have no storage
	}
}

function install(): void {
	const config = window.__haojinSimConfig ?? {};
	const saved = readSaved();
	const simulator = createHaojinSimulator({ cardMs: config.cardMs ?? 300, posKey: config.posKey });
	const log = simulator.log as SimTransaction[];
	for (const entry of saved?.log ?? []) {
		log.push(entry.status === 'in_progress' ? { ...entry, status: 'approved' } : entry);
	}
	const persist = (): void => {
		try {
			const state: Saved = { granted: serial.granted, log };
			sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
		} catch {
			// No storage here: the terminal simply does not outlive this page.
		}
	};
	const serial = new SimulatedSerial(simulator, {
		granted: saved?.granted ?? false,
		requireActivation: true,
		onGrant: persist
	});
	setInterval(persist, 100);
	addEventListener('pagehide', persist);

	Object.defineProperty(navigator, 'serial', { configurable: true, get: () => serial });
	const handle: HaojinSimHandle = {
		setFaults: (faults: Partial<HaojinFaults>) => void Object.assign(simulator.faults, faults),
		log: () => structuredClone(log),
		requests: () => structuredClone([...simulator.requests]),
		unplug: () => simulator.unplug(),
		plug: () => simulator.plug()
	};
	window.__haojinSim = handle;
}

if (window.top === window) install();
