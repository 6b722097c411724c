import { z } from 'zod/mini';
import type { RailId, TerminalConfig } from './driver';
import { isRailId, railOf } from './registry';

/** A rail this version knows (the registry's). */
export const railSchema = z.custom<RailId>(isRailId, { message: 'unknown rail' });

export const terminalConfigSchema: z.ZodMiniType<TerminalConfig> = z
	.object({
		id: z.string().check(z.minLength(1)).check(z.maxLength(64)),
		name: z.string().check(z.minLength(1)).check(z.maxLength(80)),
		rail: railSchema,
		currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
		params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
		provisioned: z.optional(z.boolean())
	})
	.check(
		z.superRefine((config, ctx) => {
			// Each rail checks the types of the params it reads; the driver applies its defaults.
			const checked = railOf(config.rail).params.safeParse(config.params);
			if (checked.success) return;
			for (const issue of checked.error.issues) {
				ctx.addIssue({ code: 'custom', path: ['params', ...issue.path], message: issue.message });
			}
		})
	);
