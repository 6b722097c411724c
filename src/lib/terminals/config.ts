import { z } from 'zod';
import type { RailId, TerminalConfig } from './driver';
import { isRailId, railOf } from './registry';

/** A rail this version knows (the registry's). */
export const railSchema = z.custom<RailId>(isRailId, { message: 'unknown rail' });

export const terminalConfigSchema: z.ZodType<TerminalConfig> = z
	.object({
		id: z.string().min(1).max(64),
		name: z.string().min(1).max(80),
		rail: railSchema,
		currency: z.string().regex(/^[A-Z]{3}$/),
		params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
		provisioned: z.boolean().optional()
	})
	.superRefine((config, ctx) => {
		// Each rail checks the types of the params it reads; the driver applies its defaults.
		const checked = railOf(config.rail).params.safeParse(config.params);
		if (checked.success) return;
		for (const issue of checked.error.issues) {
			ctx.addIssue({ code: 'custom', path: ['params', ...issue.path], message: issue.message });
		}
	});
