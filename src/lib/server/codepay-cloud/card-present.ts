/**
 * The card-present operations of the spec page (Capture, Incremental Authorization, Cancel
 * Payment, Refund Payment, Tip Adjustment, Recall, Batch Close, Get Open Batch), each with the
 * field set the page lists and a schema for its `data`. The page shows no `method` for them: the
 * names come from `METHODS`, where those no SDK confirms are marked (NOTES.md §2). The common
 * fields are sent on every call all the same (the gateway client adds them).
 */
import { z } from 'zod';
import { toDecimalString } from '$lib/money';
import type { CodePayGateway, GatewayResult } from './gateway-client';
import { batchSchema, decimalText } from './schemas';

/** What the page's card-present answers hold. */
export const cardResultSchema = z.object({
	resp_msg: z.string().max(256).optional(),
	resp_code: z.string().max(16).optional(),
	trans_no: z.string().max(64).optional(),
	auth_no: z.string().max(16).optional(),
	trans_time: z.string().max(32).optional(),
	trans_status: z
		.union([
			z.int(),
			z
				.string()
				.regex(/^\d{1,2}$/)
				.transform(Number)
		])
		.optional(),
	trans_amount: decimalText.optional()
});
export type CardResult = z.infer<typeof cardResultSchema>;

/** Minor units as the page's `number <double>` in major units. */
const major = (minor: number, currency: string) => Number(toDecimalString(minor, currency));

export function capture(
	gw: CodePayGateway,
	r: { merchantOrderNo: string; transNo: string; amount: number; currency: string }
): Promise<GatewayResult<CardResult>> {
	return gw.call(
		'capture',
		{
			merchant_order_no: r.merchantOrderNo,
			trans_no: r.transNo,
			trans_amount: major(r.amount, r.currency)
		},
		cardResultSchema
	);
}

export function incrementalAuthorization(
	gw: CodePayGateway,
	r: { transNo: string; amount: number; currency: string }
): Promise<GatewayResult<CardResult>> {
	return gw.call(
		'incrementalAuthorization',
		{ trans_no: r.transNo, trans_amount: major(r.amount, r.currency) },
		cardResultSchema
	);
}

export function cancelPayment(
	gw: CodePayGateway,
	r: { merchantOrderNo: string; transNo: string }
): Promise<GatewayResult<CardResult>> {
	return gw.call(
		'cancelPayment',
		{ merchant_order_no: r.merchantOrderNo, trans_no: r.transNo },
		cardResultSchema
	);
}

export function refundPayment(
	gw: CodePayGateway,
	r: { merchantOrderNo: string; transNo: string; amount: number; tip?: number; currency: string }
): Promise<GatewayResult<CardResult>> {
	return gw.call(
		'refundPayment',
		{
			merchant_order_no: r.merchantOrderNo,
			trans_no: r.transNo,
			order_amount: major(r.amount, r.currency),
			tip_amount: r.tip ? major(r.tip, r.currency) : undefined
		},
		cardResultSchema
	);
}

export function cardTipAdjustment(
	gw: CodePayGateway,
	r: { transNo: string; tip: number; currency: string }
): Promise<GatewayResult<CardResult>> {
	return gw.call(
		'cardTipAdjustment',
		{ trans_no: r.transNo, tip_amount: major(r.tip, r.currency) },
		cardResultSchema
	);
}

export function recall(
	gw: CodePayGateway,
	r: { transNo?: string; merchantOrderNo?: string }
): Promise<GatewayResult<CardResult>> {
	return gw.call(
		'recall',
		{ trans_no: r.transNo, merchant_order_no: r.merchantOrderNo },
		cardResultSchema
	);
}

/** `terminal_sn_list` is an array on the page; it travels as its JSON text (NOTES.md §2). */
export function cardBatchClose(
	gw: CodePayGateway,
	r: { storeNo?: string; terminalSns: string[] }
): Promise<GatewayResult<z.infer<typeof batchSchema>>> {
	return gw.call(
		'cardBatchClose',
		{ store_no: r.storeNo, terminal_sn_list: r.terminalSns },
		batchSchema
	);
}

export function openBatch(
	gw: CodePayGateway,
	r: { storeNo?: string; terminalSns: string[] }
): Promise<GatewayResult<z.infer<typeof batchSchema>>> {
	return gw.call(
		'openBatch',
		{ store_no: r.storeNo, terminal_sn_list: r.terminalSns },
		batchSchema
	);
}
