/**
 * zod schemas of what the gateway sends, after its signature has been checked. Numbers arrive as
 * numbers or numeric strings depending on the call (the samples mix them), so both are taken and
 * kept as text until `$lib/money` turns an amount into minor units exactly.
 */
import { z } from 'zod';

const text32 = z.string().max(64);
/** A decimal amount as the gateway wrote it, as text ("200", "100.00", 144.34 → "144.34"). */
export const decimalText = z
	.union([z.string(), z.number()])
	.transform((v) => String(v))
	.pipe(z.string().regex(/^-?\d+(\.\d+)?$/));
const intLike = z.union([
	z.int(),
	z
		.string()
		.regex(/^-?\d{1,4}$/)
		.transform(Number)
]);

export const envelopeSchema = z.object({
	code: z.union([z.string(), z.number()]).transform(String),
	msg: z.string().max(512).optional(),
	psn: z.string().max(64).optional(),
	sign: z.string(),
	data: z.unknown().optional()
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** `data` may be an object or its JSON text. */
export function dataObject(data: unknown): unknown {
	if (typeof data !== 'string') return data ?? {};
	try {
		return JSON.parse(data);
	} catch {
		return undefined;
	}
}

export const pushOrderDataSchema = z.object({
	message_id: text32.optional(),
	trans_no: text32.optional(),
	terminal_online_status: z.string().max(16).optional()
});

/** `order.query`'s data, and the body of a transaction result notification. */
export const transactionSchema = z.object({
	trans_no: text32.optional(),
	merchant_order_no: text32,
	trans_status: intLike,
	trans_type: intLike.optional(),
	price_currency: z.string().regex(/^[A-Z]{3}$/),
	order_amount: decimalText.optional(),
	trans_amount: decimalText.optional(),
	paid_amount: decimalText.optional(),
	tip_amount: decimalText.optional(),
	cashback_amount: decimalText.optional(),
	pay_method_id: z.string().max(32).optional(),
	card_no: z.string().max(32).optional(),
	auth_code: z.string().max(16).optional(),
	auth_no: z.string().max(16).optional(),
	resp_code: z.string().max(16).optional(),
	resp_msg: z.string().max(256).optional(),
	trans_end_time: z.string().max(32).optional(),
	attach: z.string().max(256).optional()
});
export type Transaction = z.infer<typeof transactionSchema>;

export const emptyDataSchema = z.object({}).loose();

export const batchSchema = z.object({
	count: intLike.optional(),
	total_amount: decimalText.optional()
});
