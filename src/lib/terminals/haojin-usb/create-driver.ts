/**
 * Wires a configured Haojin terminal to this device: its POS-KEY from the device's key store
 * (never from the params, which are synced), and its port found among the granted ones by the USB
 * ids saved in Settings. The demo's simulated terminal stands in for `navigator.serial` only when
 * the terminal says so, and is then loaded on demand.
 */
import { TerminalError, type TerminalConfig } from '../driver';
import { GrantedPort, usbIdsFromParams, type SerialWithEvents } from './granted-port';
import { HaojinUsbDriver } from './haojin-driver';
import { posKeyStore, type PosKeyStore } from './key-store';
import { isWebSerialSupported, type NavigatorLike } from './web-serial';

/** The serial API a terminal uses: the simulator in demo mode, else the browser's. */
export async function serialFor(
	config: Pick<TerminalConfig, 'name' | 'params'>,
	demo: boolean
): Promise<SerialWithEvents> {
	if (config.params.simulator === true) {
		if (!demo) {
			// A live till never takes payments on a pretend terminal, whatever its settings say.
			throw new TerminalError(
				'unsupported',
				`${config.name} is set to the demo's simulated USB terminal, which runs only in demo mode. Untick "simulated" in Settings.`,
				false
			);
		}
		const { demoSerial } = await import('./simulated-serial');
		return demoSerial();
	}
	const support = isWebSerialSupported(
		typeof navigator === 'undefined' ? undefined : (navigator as NavigatorLike),
		typeof isSecureContext === 'undefined' ? true : isSecureContext
	);
	if (!support.supported) throw new TerminalError('unsupported', support.reason, false);
	return support.serial as SerialWithEvents;
}

export async function createHaojinUsbDriver(
	config: TerminalConfig,
	keys: PosKeyStore = posKeyStore(),
	{ demo = false }: { demo?: boolean } = {}
): Promise<HaojinUsbDriver> {
	const posKey = await keys.load(config.id);
	if (!posKey) {
		throw new TerminalError('auth', `Enter the POS-KEY for ${config.name} in Settings.`, false);
	}
	const serial = await serialFor(config, demo);
	const ids = usbIdsFromParams(config.params);
	const port = ids && new GrantedPort(serial, ids);
	// The key joins the params only in this in-memory copy, which the driver keeps private.
	const withKey: TerminalConfig = { ...config, params: { ...config.params, posKey } };
	return new HaojinUsbDriver(withKey, { port: async () => port });
}
