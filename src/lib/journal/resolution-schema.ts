/**
 * A manager's resolution of an attempt the terminal can neither answer nor cancel (`resolve.ts`):
 * what the manager recorded, on whose approval, and why. Kept on the attempt (so sync can check
 * the approval) and, with the evidence it was decided on, in an `attempt.resolved` event.
 */
import { z } from 'zod/mini';

export const RESOLUTION_VERDICTS = ['not_charged', 'charged'] as const;
export const resolutionVerdictSchema = z.enum(RESOLUTION_VERDICTS);
export type ResolutionVerdict = z.infer<typeof resolutionVerdictSchema>;

export const resolutionSchema = z.object({
	verdict: resolutionVerdictSchema,
	/** The approving manager and the server's approval for this one resolution. */
	staffId: z.string().check(z.minLength(1)),
	approvalId: z.string().check(z.minLength(1)),
	/** Why, in the manager's words. */
	reason: z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(500)),
	/** "Charged": the terminal's reference for the transaction. */
	reference: z.optional(z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(64))),
	/** "Charged": whether the terminal confirmed the reference when asked by it. */
	verified: z.optional(z.boolean()),
	at: z.int().check(z.nonnegative())
});
export type Resolution = z.infer<typeof resolutionSchema>;
