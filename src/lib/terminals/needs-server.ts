import type { NetworkState } from '$lib/app/network-state';
import type { TerminalConfig } from './driver';

/**
 * Whether a rail cannot take a payment without the POS server (a cloud rail: the server signs and
 * sends every request). The one place that knows it, until the rail registry's descriptors carry it
 * as `needs.server`; screens ask this, never a rail id.
 */
export function railNeedsServer(rail: TerminalConfig['rail']): boolean {
	switch (rail) {
		case 'codepay-cloud':
		case 'iotpay-pax':
			return true;
		case 'simulated':
		case 'codepay-lan':
		case 'haojin-usb':
			return false;
	}
}

/** Why `terminal` cannot be used now, in words for the cashier, or `null` when it can. */
export function terminalUnavailableReason(
	terminal: Pick<TerminalConfig, 'rail'>,
	network: NetworkState
): string | null {
	if (!railNeedsServer(terminal.rail) || network.kind === 'online') return null;
	return network.kind === 'offline'
		? 'This terminal works through the POS server, and this till is offline.'
		: 'This terminal works through the POS server, which cannot be reached.';
}
