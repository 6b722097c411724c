import type { RailDescriptor } from '../rail';
import { numeric, paramsSchema } from '../params-schema';
import { SIM_SCENARIOS } from './scenarios';
import { z } from 'zod/mini';

/** The in-browser simulated terminal: the demo's, and only the demo's (it approves anything). */
export const simulatedRail: RailDescriptor<'simulated'> = {
	id: 'simulated',
	label: 'Simulated terminal',
	needs: { demoOnly: true },
	params: paramsSchema({
		scenario: z.enum(SIM_SCENARIOS),
		cardSeconds: numeric,
		slowSeconds: numeric
	}),
	addOnTill: () => ({ scenario: 'approve', cardSeconds: 1.5 }),
	load: async () => {
		const { SimulatedTerminal } = await import('./simulated-terminal');
		return { createDriver: (config) => new SimulatedTerminal(config) };
	},
	settings: async () => (await import('./SimulatedFields.svelte')).default,
	panel: async () => (await import('./SimulatorLog.svelte')).default
};
