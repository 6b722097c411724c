/**
 * Terminals come from the server: outside demo mode a till may only name a terminal the server
 * configured, on that terminal's rail, and never the simulated rail (a till could otherwise add a
 * "terminal" of its own and ring cash up as card). Pure.
 */
import { isRailId, railOf } from '$lib/terminals/registry';
import { refuse, type Refusal } from './refusal';

export interface ServerTerminals {
	demo: boolean;
	terminals: readonly { id: string; rail: string }[];
}

export function checkTerminal(
	attempt: { rail: string; terminalId: string },
	config: ServerTerminals
): Refusal | null {
	// Demo tills add simulated USB terminals of their own (README, demo data).
	if (config.demo) return null;
	if (isRailId(attempt.rail) && railOf(attempt.rail).needs.demoOnly) {
		return refuse(
			'simulated_outside_demo',
			`uses the ${railOf(attempt.rail).label.toLowerCase()}, which exists only in demo mode`
		);
	}
	const terminal = config.terminals.find((t) => t.id === attempt.terminalId);
	if (!terminal) {
		return refuse(
			'terminal_unknown',
			`names terminal "${attempt.terminalId}", which the server does not know`
		);
	}
	if (terminal.rail !== attempt.rail) {
		return refuse(
			'terminal_rail_mismatch',
			`says terminal "${terminal.id}" is ${attempt.rail}; the server has it as ${terminal.rail}`
		);
	}
	return null;
}
