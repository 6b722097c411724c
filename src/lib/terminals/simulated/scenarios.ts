import { z } from 'zod/mini';
import type { TerminalConfig } from '../driver';

/** How the simulated terminal behaves; chosen in Settings (`params.scenario`) or at runtime. */
export const SIM_SCENARIOS = [
	'approve',
	'decline',
	'cancel',
	'slow',
	'drop-after-approve',
	'never-answer',
	'offline'
] as const;

export type SimScenario = (typeof SIM_SCENARIOS)[number];

export const SIM_SCENARIO_LABELS: Record<SimScenario, string> = {
	approve: 'Approve',
	decline: 'Decline (insufficient funds)',
	cancel: 'Customer cancels on the terminal',
	slow: 'Approve slowly',
	'drop-after-approve': 'Approve, then lose the connection',
	'never-answer': 'Never answer',
	offline: 'Offline (unreachable)'
};

export interface SimSettings {
	scenario: SimScenario;
	/** Time a card takes on the terminal in the ordinary scenarios. */
	cardMs: number;
	/** Time the `slow` scenario takes. */
	slowMs: number;
	/** How long the POS waits for one operation before giving up with `timeout`. */
	timeoutMs: number;
	/** Tip (minor units) the "customer" adds when the tip is chosen on the terminal. */
	terminalTip: number;
}

// Settings values may arrive as strings from a form: coerce, and fall back to the default rather
// than refuse to build a terminal the cashier cannot then reconfigure.
const seconds = (fallback: number) =>
	z.catch(z.coerce.number().check(z.gte(0)).check(z.lte(3600)), fallback);

const paramsSchema = z.object({
	scenario: z.catch(z.enum(SIM_SCENARIOS), 'approve'),
	cardSeconds: seconds(1.5),
	slowSeconds: seconds(8),
	timeoutSeconds: seconds(60),
	terminalTip: z.catch(
		z.pipe(z.coerce.number(), z.int()).check(z.gte(0)).check(z.lte(Number.MAX_SAFE_INTEGER)),
		0
	)
});

export function simSettings(params: TerminalConfig['params']): SimSettings {
	const p = paramsSchema.parse(params);
	return {
		scenario: p.scenario,
		cardMs: Math.round(p.cardSeconds * 1000),
		slowMs: Math.round(p.slowSeconds * 1000),
		timeoutMs: Math.round(p.timeoutSeconds * 1000),
		terminalTip: p.terminalTip
	};
}

export function isSimScenario(value: unknown): value is SimScenario {
	return (SIM_SCENARIOS as readonly unknown[]).includes(value);
}
