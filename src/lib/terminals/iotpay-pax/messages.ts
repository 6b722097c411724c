/** The POS server's answers about an IOT Pay sale (`/api/rails/iotpay-pax/sales`), parsed with zod. */
import { z } from 'zod';
import type { Outcome } from '../driver';

const outcomeSchema: z.ZodType<Outcome> = z.object({
	status: z.enum(['approved', 'declined', 'cancelled', 'unknown']),
	reference: z.string().max(200).optional(),
	cardBrand: z.string().max(80).optional(),
	maskedCard: z.string().max(40).optional(),
	authCode: z.string().max(40).optional(),
	message: z.string().max(500).optional(),
	code: z.string().max(40).optional()
});

export const saleViewSchema = z.object({
	merchantOrderNo: z.string(),
	/**
	 * `sent`: the PAX is taking the card; `unknown`: the server lost `create_order`'s answer and is
	 * asking IOT Pay; `refused`: nothing was charged.
	 */
	state: z.enum(['sent', 'unknown', 'approved', 'cancelled', 'refused']),
	outcome: outcomeSchema.optional(),
	message: z.string().max(1000).optional(),
	keyFault: z.boolean().optional()
});
export type SaleView = z.infer<typeof saleViewSchema>;
