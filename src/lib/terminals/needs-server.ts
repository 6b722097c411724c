import type { NetworkState } from '$lib/app/network-state';
import type { TerminalConfig } from './driver';
import { isRailId, railOf } from './registry';

/**
 * Whether a rail cannot take a payment without the POS server (a cloud rail: the server signs and
 * sends every request), as its descriptor in the registry says (`needs.server`); screens ask this,
 * never a rail id.
 */
export function railNeedsServer(rail: TerminalConfig['rail']): boolean {
	return isRailId(rail) && railOf(rail).needs.server === true;
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
