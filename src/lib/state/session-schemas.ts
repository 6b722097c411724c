import { z } from 'zod/mini';
import { offlineLimitsSchema } from '$lib/orders/offline-limits';
import { terminalConfigSchema } from '$lib/terminals/config';

export const staffSchema = z.object({
	id: z.string(),
	name: z.string(),
	role: z.enum(['cashier', 'manager', 'owner'])
});
export type Staff = z.infer<typeof staffSchema>;

export const pairResponse = z.object({ deviceId: z.string(), token: z.string() });
export const pairingCodeResponse = z.object({ code: z.string(), expiresAt: z.number() });
export const loginResponse = z.object({
	staff: staffSchema,
	sessionToken: z.string(),
	expiresAt: z.number()
});
export const managerResponse = z.object({
	ok: z.literal(true),
	manager: z.object({ id: z.string(), name: z.string() }),
	approvalId: z.string(),
	expiresAt: z.number()
});

/**
 * The one operation a manager approves; the server binds its approval to exactly this and believes
 * the refund, void or release only with it (`src/lib/server/approvals/approval-scope.ts`).
 */
export type ApprovalRequest =
	| {
			/** `resolve_…`: a manager's verdict on an attempt the terminal could not settle. */
			action: 'refund' | 'void' | 'preauth_cancel' | 'resolve_not_charged' | 'resolve_charged';
			orderId: string;
			/** The sale or hold it refunds, voids or releases; the attempt it resolves. */
			origAttemptId: string;
			origMerchantOrderNo: string;
			/** Minor units. */
			amount: number;
	  }
	| { action: 'batch_close'; terminalId: string };
export const serverConfigSchema = z.object({
	storeName: z.string(),
	currency: z.string(),
	deviceId: z.string(),
	devicePrefix: z.string(),
	terminals: z.array(terminalConfigSchema),
	demo: z.boolean(),
	/** Absent from a configuration cached by an earlier version: no limits until the next fetch. */
	offlineLimits: z.optional(offlineLimitsSchema),
	/** What the receipt shows of the store (issue 13); absent from older servers' answers. */
	store: z.optional(
		z.object({
			address: z.string(),
			taxNumber: z.string(),
			locale: z.string(),
			timeZone: z.string(),
			receiptHeader: z.string(),
			receiptFooter: z.string()
		})
	)
});
export type ServerConfig = z.infer<typeof serverConfigSchema>;

export const storedDevice = z.object({ deviceId: z.string(), token: z.string(), name: z.string() });
export const storedSession = z.object({
	staff: staffSchema,
	sessionToken: z.string(),
	expiresAt: z.number()
});
