/**
 * IOT Pay's answers to `create_order` and `query_order`, parsed with zod. Only what the POS reads
 * is checked; everything else passes through for the audit trail. Shapes from
 * `iotpay-pos-semi-integration.zh.txt` (返回结果示例).
 */
import { z } from 'zod';

const flag = z.enum(['SUCCESS', 'FAIL']);
/** Numbers arrive as numbers in the page's example; some gateways send them as strings. */
const intLike = z.union([
	z.int(),
	z
		.string()
		.regex(/^-?\d+$/)
		.transform(Number)
]);

export const payOrderSchema = z.looseObject({
	payOrderId: z.string().optional(),
	mchOrderNo: z.string(),
	channelId: z.string().optional(),
	currency: z.string().optional(),
	amount: intLike.optional(),
	tip: intLike.optional(),
	/** 0 unpaid, 1 paying, 2 paid, 3 paid and notified, 4 cancelled by system, 9 cancelled by user. */
	status: intLike,
	/** JSON text with the card details and `receiptDisp` (NOTES.md §4). */
	extra: z.string().optional()
});
export type PayOrder = z.infer<typeof payOrderSchema>;

export const responseSchema = z.looseObject({
	retCode: flag,
	resCode: flag.optional(),
	retMsg: z.string().optional(),
	errDes: z.string().optional(),
	sign: z.string().optional(),
	payOrder: payOrderSchema.optional()
});
export type GatewayResponse = z.infer<typeof responseSchema>;

/** The card details in `payOrder.extra`; all optional, blanks are common (the decline example). */
export const cardExtraSchema = z.looseObject({
	cardType: z.string().optional(),
	cardNum: z.string().optional(),
	emvLabel: z.string().optional(),
	termInvoiceNum: z.string().optional(),
	authNum: z.string().optional(),
	receiptDisp: z.string().optional(),
	trxCode: z.string().optional()
});
export type CardExtra = z.infer<typeof cardExtraSchema>;

/** `extra` read, or `{}` when it is missing or not a JSON object (never throws). */
export function parseCardExtra(text: string | undefined): CardExtra {
	if (!text) return {};
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return {};
	}
	const parsed = cardExtraSchema.safeParse(value);
	return parsed.success ? parsed.data : {};
}
