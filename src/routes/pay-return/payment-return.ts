/** What `GET /api/payment-returns/:ref` answers (the payment's own status, nothing more). */
import { z } from 'zod/mini';

export const paymentReturnSchema = z.object({
	status: z.enum(['paid', 'failed', 'cancelled', 'expired', 'confirming']),
	amount: z.int(),
	currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
	expiresAt: z.number(),
	yours: z.boolean(),
	merchantOrderNo: z.optional(z.string())
});
export type PaymentReturn = z.infer<typeof paymentReturnSchema>;
