/**
 * Which terminals a till may use: the server's. Outside demo mode a till cannot add a terminal, nor
 * change where a provisioned one is or how it is reached (a cashier pointing "the card terminal" at
 * a fake of their own would ring cash up as card); it may only set what belongs to that device
 * alone, such as which USB port its terminal is on. In demo mode terminals may be added and tuned
 * on the till, as the demo's simulators need. Pure.
 */
import type { TerminalConfig } from './driver';
import { isRailId, railOf } from './registry';

/** Params a till sets for itself on a provisioned terminal of `rail`, outside demo mode. */
function deviceLocalParams(rail: TerminalConfig['rail']): readonly string[] {
	return isRailId(rail) ? (railOf(rail).deviceLocalParams ?? []) : [];
}

/** Whether a till has anything of its own to set on a provisioned terminal of `rail`. */
export function hasDeviceSettings(rail: TerminalConfig['rail']): boolean {
	return deviceLocalParams(rail).length > 0;
}

export class TerminalNotAllowedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TerminalNotAllowedError';
	}
}

function deviceLocal(config: TerminalConfig, rail: TerminalConfig['rail']) {
	const allowed = deviceLocalParams(rail);
	return Object.fromEntries(Object.entries(config.params).filter(([key]) => allowed.includes(key)));
}

/**
 * The terminals a till can use: those the server provisioned, with the till's own settings over
 * them (all of them in demo mode, only device-local ones otherwise), plus, in demo mode only, those
 * added on the till.
 */
export function usableTerminals(
	provisioned: readonly TerminalConfig[],
	local: readonly TerminalConfig[],
	demo: boolean
): TerminalConfig[] {
	const byId = new Map<string, TerminalConfig>();
	for (const config of provisioned) byId.set(config.id, { ...config, provisioned: true });
	for (const config of local) {
		const base = byId.get(config.id);
		if (base) {
			const own = demo ? config.params : deviceLocal(config, base.rail);
			byId.set(config.id, { ...base, params: { ...base.params, ...own } });
		} else if (demo) byId.set(config.id, { ...config, provisioned: false });
	}
	return [...byId.values()];
}

/**
 * What a till may keep of a terminal it saves: anything in demo mode; outside it, only the
 * device-local params of a provisioned terminal. Throws `TerminalNotAllowedError` otherwise.
 */
export function localEntryToKeep(
	config: TerminalConfig,
	provisioned: readonly TerminalConfig[],
	demo: boolean
): TerminalConfig {
	if (demo) return config;
	const base = provisioned.find((t) => t.id === config.id);
	if (!base) {
		throw new TerminalNotAllowedError(
			'Terminals are set up on the POS server. Ask a manager to add this one there.'
		);
	}
	return { ...base, params: deviceLocal(config, base.rail) };
}
