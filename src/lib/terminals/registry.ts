import type { TerminalConfig, TerminalDriver } from './driver';

/**
 * Builds the driver for a configured terminal. Rails are loaded on demand so that a till that only
 * uses one rail does not download the others.
 */
export async function createDriver(config: TerminalConfig): Promise<TerminalDriver> {
	switch (config.rail) {
		case 'simulated': {
			const { SimulatedTerminal } = await import('./simulated/simulated-terminal');
			return new SimulatedTerminal(config);
		}
		case 'codepay-lan': {
			const { CodePayLanDriver } = await import('./codepay-lan/lan-driver');
			return new CodePayLanDriver(config);
		}
		default:
			throw new Error(`${config.name}: the ${config.rail} rail is not available in this version.`);
	}
}
