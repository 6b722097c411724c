/** The POS server's answers about an IOT Pay sale (`/api/rails/iotpay-pax/sales`), parsed with zod. */
import { z } from 'zod/mini';
import type { Outcome } from '../driver';

const outcomeSchema: z.ZodMiniType<Outcome> = z.object({
	status: z.enum(['approved', 'declined', 'cancelled', 'unknown']),
	reference: z.optional(z.string().check(z.maxLength(200))),
	cardBrand: z.optional(z.string().check(z.maxLength(80))),
	maskedCard: z.optional(z.string().check(z.maxLength(40))),
	authCode: z.optional(z.string().check(z.maxLength(40))),
	message: z.optional(z.string().check(z.maxLength(500))),
	code: z.optional(z.string().check(z.maxLength(40)))
});

export const saleViewSchema = z.object({
	merchantOrderNo: z.string(),
	/**
	 * `sent`: the PAX is taking the card; `unknown`: the server lost `create_order`'s answer and is
	 * asking IOT Pay; `refused`: nothing was charged.
	 */
	state: z.enum(['sent', 'unknown', 'approved', 'cancelled', 'refused']),
	outcome: z.optional(outcomeSchema),
	message: z.optional(z.string().check(z.maxLength(1000))),
	keyFault: z.optional(z.boolean())
});
export type SaleView = z.infer<typeof saleViewSchema>;
