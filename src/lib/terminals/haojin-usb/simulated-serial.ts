/**
 * A `navigator.serial` stand-in with one simulated Haojin terminal behind it (NOTES.md §3 bytes,
 * real web streams). Used by the end-to-end tests (bundled into an init script, see
 * `tests/fake-serial/`) and, in demo mode only, by the "simulated USB terminal" setting, which
 * imports this module on demand: it is a separate chunk that a till never loads otherwise.
 */
import {
	createFakeSerialPort,
	createHaojinSimulator,
	type FakeSerialPort,
	type HaojinSimulator,
	type HaojinSimulatorOptions
} from './simulator';
import type { SerialWithEvents } from './granted-port';

export interface SimulatedSerialOptions {
	/** The port was granted before (as after a reload in Chrome). */
	granted?: boolean;
	/** Refuse `requestPort()` outside a tap, as Chrome does. */
	requireActivation?: boolean;
	onGrant?: () => void;
}

export class SimulatedSerial extends EventTarget implements SerialWithEvents {
	readonly simulator: HaojinSimulator;
	readonly port: FakeSerialPort;
	readonly #options: SimulatedSerialOptions;
	#granted: boolean;

	constructor(simulator: HaojinSimulator, options: SimulatedSerialOptions = {}) {
		super();
		this.simulator = simulator;
		this.port = createFakeSerialPort(simulator);
		this.#options = options;
		this.#granted = options.granted ?? false;
		// In Chrome a granted port's connect/disconnect bubble up to `navigator.serial`.
		for (const type of ['connect', 'disconnect'] as const) {
			this.port.addEventListener(type, () => {
				if (this.#granted) this.dispatchEvent(new Event(type));
			});
		}
	}

	get granted(): boolean {
		return this.#granted;
	}

	async getPorts(): Promise<FakeSerialPort[]> {
		return this.#granted && this.simulator.plugged ? [this.port] : [];
	}

	/** The chooser, answered at once with the simulated terminal. */
	async requestPort(): Promise<FakeSerialPort> {
		const activation = (globalThis.navigator as { userActivation?: { isActive: boolean } })
			?.userActivation;
		if (this.#options.requireActivation && activation && !activation.isActive) {
			throw new DOMException(
				'Must be handling a user gesture to show a permission request.',
				'SecurityError'
			);
		}
		if (!this.simulator.plugged) {
			throw new DOMException('No port selected by the user.', 'NotFoundError');
		}
		this.#granted = true;
		this.#options.onGrant?.();
		return this.port;
	}
}

let demo: SimulatedSerial | undefined;

/** The demo's terminal: one per page, holding the default POS-KEY, a customer taking 2.5 s. */
export function demoSerial(options: HaojinSimulatorOptions = { cardMs: 2500 }): SimulatedSerial {
	demo ??= new SimulatedSerial(createHaojinSimulator(options), { granted: true });
	return demo;
}
