import type { TerminalConfig, TerminalDriver } from './driver';

export interface DriverOptions {
	/**
	 * This device's token (`pos.device`). A CodePay LAN terminal on an https page is reached through
	 * the POS server's relay, which requires it.
	 */
	deviceToken?: string;
	/** The signed-in staff member's session token, now: the relay requires it as well. */
	staffSession?: () => string | null | undefined;
	/** The store runs in demo mode: only then may a terminal be one of the demo's simulators. */
	demo?: boolean;
}

/**
 * Builds the driver for a configured terminal. Rails are loaded on demand so that a till that only
 * uses one rail does not download the others.
 */
export async function createDriver(
	config: TerminalConfig,
	options: DriverOptions = {}
): Promise<TerminalDriver> {
	switch (config.rail) {
		case 'simulated': {
			// It approves whatever it is asked: outside the demo it would be a way to fake card payments.
			if (options.demo !== true) {
				throw new Error(`${config.name}: the simulated terminal exists only in demo mode.`);
			}
			const { SimulatedTerminal } = await import('./simulated/simulated-terminal');
			return new SimulatedTerminal(config);
		}
		case 'codepay-lan': {
			const { CodePayLanDriver } = await import('./codepay-lan/lan-driver');
			return new CodePayLanDriver(config, {
				relayToken: options.deviceToken,
				relaySession: options.staffSession
			});
		}
		case 'haojin-usb': {
			const { createHaojinUsbDriver } = await import('./haojin-usb/create-driver');
			return createHaojinUsbDriver(config, undefined, { demo: options.demo === true });
		}
		case 'codepay-cloud': {
			const { CodePayCloudDriver } = await import('./codepay-cloud/cloud-driver');
			return new CodePayCloudDriver(config, {
				deviceToken: options.deviceToken,
				staffSession: options.staffSession
			});
		}
		default:
			throw new Error(`${config.name}: the ${config.rail} rail is not available in this version.`);
	}
}
