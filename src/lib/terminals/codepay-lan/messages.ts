/**
 * zod schemas for the CodePay Register / WiseCashier LAN WebSocket protocol
 * (specs/codepay-register-lan-websocket.txt, specs/wisecashier-lan-websocket.zh.txt, NOTES.md §1).
 *
 * Outbound schemas are strict (we only send what the spec defines). Inbound schemas are strict on
 * the fields we act on (codes, statuses, amounts, order numbers) and loose elsewhere, so a firmware
 * that adds a field, or sends a number where the page says string, does not lose a payment result.
 */
import { z } from 'zod/mini';

export const TOPIC = {
	order: 'ecrhub.pay.order',
	query: 'ecrhub.pay.query',
	close: 'ecrhub.pay.close',
	tipAdjust: 'ecrhub.pay.tip.adjustment',
	batchClose: 'ecrhub.pay.batch.close',
	heartbeat: 'ecrhub.heartbeat',
	init: 'ecrhub.init',
	getInfo: 'ecrhub.getInfo'
} as const;

export type Topic = (typeof TOPIC)[keyof typeof TOPIC];
export const TOPICS = Object.values(TOPIC) as [Topic, ...Topic[]];

/** NOTES.md §1: `"000"` is success; some firmware answers `"0"`. */
export const SUCCESS_CODES: readonly string[] = ['000', '0'];
/** NOTES.md §1: cancelled by the operator/customer; `biz_data` may be an empty string. */
export const CANCELLED_CODE = '110';
/** NOTES.md §1: the terminal timed out waiting for the card. */
export const TERMINAL_TIMEOUT_CODE = '112';
/**
 * The terminal is busy with another order: nothing was charged. Not on the vendor page; seen from
 * terminals taking a payment started elsewhere (and the project's simulator answers it).
 */
export const BUSY_CODE = '113';
/** NOTES.md §1: invalid app id. */
export const INVALID_APP_ID_CODE = '106';
/**
 * The terminal does not know the order named. *Unconfirmed*: the vendor pages publish no code
 * table (NOTES.md §1); this is the code the terminal was seen answering a query for an order it
 * never received (issue 9), with "Order not found". `codec.ts` reads it only on a query's answer.
 */
export const ORDER_NOT_FOUND_CODE = '104';

/** NOTES.md §1 `trans_type`. */
export const TRANS_TYPE = {
	sale: '1',
	void: '2',
	refund: '3',
	preAuth: '4',
	preAuthCancel: '5',
	preAuthCompletion: '6',
	completionCancel: '7',
	completionRefund: '8',
	saleWithCashback: '11'
} as const;
export type TransType = (typeof TRANS_TYPE)[keyof typeof TRANS_TYPE];
const TRANS_TYPES = Object.values(TRANS_TYPE) as [TransType, ...TransType[]];
/** Spec §1 "Submit transaction": these need `orig_merchant_order_no`. */
export const NEEDS_ORIGINAL: readonly string[] = ['2', '3', '6'];

/** NOTES.md §1 `trans_status`. */
export const TRANS_STATUS = {
	inProgress: '0',
	failed: '1',
	success: '2',
	cancelled: '3',
	created: '9'
} as const;

export const PAY_SCENARIOS = ['SWIPE_CARD', 'SCANQR_PAY', 'BSCANQR_PAY'] as const;
export const CARD_TYPES = ['1', '2', '3', '4'] as const;
/** 0 none, 1 merchant copy, 2 customer copy, 3 both (NOTES.md §1). */
export const RECEIPT_PRINT_MODES = ['0', '1', '2', '3'] as const;
export type ReceiptPrintMode = (typeof RECEIPT_PRINT_MODES)[number];

/** "No more than 32 alphanumeric characters" (spec, `merchant_order_no`). */
export const ORDER_NO = /^[A-Za-z0-9]{1,32}$/;
const orderNo = z.string().check(z.regex(ORDER_NO, 'must be 1–32 letters or digits'));
/** Major units with a dot, as the spec writes them: `"34.50"`. */
export const wireDecimal = z
	.string()
	.check(z.regex(/^\d+(\.\d+)?$/, 'must be a decimal string like "34.50"'));

// ---------------------------------------------------------------------------------------------
// Outbound (POS → terminal)

/** WiseCashier `forecourt_data` line: `amount` is in cents (minor units), unlike `order_amount`. */
export const forecourtLineSchema = z.object({
	code: z.string().check(z.minLength(1)),
	quantity: z
		.string()
		.check(z.regex(/^\d+\.\d{3}$/, 'must be litres with three decimals, like "1.050"')),
	amount: z.string().check(z.regex(/^\d+$/, 'must be a whole number of cents'))
});
export type ForecourtLineWire = z.infer<typeof forecourtLineSchema>;

export const orderRequestBizSchema = z
	.strictObject({
		trans_type: z.enum(TRANS_TYPES),
		merchant_order_no: orderNo,
		orig_merchant_order_no: z.optional(orderNo),
		price_currency: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/))),
		order_amount: wireDecimal,
		tip_amount: z.optional(wireDecimal),
		cashback_amount: z.optional(wireDecimal),
		on_screen_tip: z.optional(z.boolean()),
		pay_method_id: z.optional(z.string()),
		pay_scenario: z.optional(z.enum(PAY_SCENARIOS)),
		card_type: z.optional(z.enum(CARD_TYPES)),
		attach: z.optional(z.string()),
		description: z.optional(z.string()),
		notify_url: z.optional(z.string()),
		expires: z.optional(z.string()),
		confirm_on_terminal: z.optional(z.boolean()),
		required_terminal_authentication: z.optional(z.boolean()),
		on_screen_signature: z.optional(z.boolean()),
		receipt_print_mode: z.optional(z.enum(RECEIPT_PRINT_MODES)),
		forecourt_data: z.optional(z.array(forecourtLineSchema).check(z.minLength(1)))
	})
	.check(
		z.refine((biz) => !NEEDS_ORIGINAL.includes(biz.trans_type) || !!biz.orig_merchant_order_no, {
			message: 'orig_merchant_order_no is required for void, refund and completion',
			path: ['orig_merchant_order_no']
		})
	);
export type OrderRequestBiz = z.infer<typeof orderRequestBizSchema>;

export const orderRefBizSchema = z.strictObject({ merchant_order_no: orderNo });
export const tipAdjustRequestBizSchema = z.strictObject({
	merchant_order_no: orderNo,
	tip_adjustment_amount: wireDecimal
});

export const requestEnvelopeSchema = z.strictObject({
	topic: z.enum(TOPICS),
	request_id: z.string().check(z.minLength(1)),
	timestamp: z.string().check(z.regex(/^\d{13}$/, 'must be milliseconds since the epoch')),
	version: z.literal('1.0'),
	app_id: z.string().check(z.minLength(1)),
	biz_data: z.record(z.string(), z.unknown())
});
export type RequestEnvelope = z.infer<typeof requestEnvelopeSchema>;

// ---------------------------------------------------------------------------------------------
// Inbound (terminal → POS)

/**
 * An optional field. Terminal apps often send an unset field as `null` or `""`: that is the field
 * being absent, not a malformed message (dropping the message would lose a payment result).
 */
function optional<T extends z.ZodMiniType>(schema: T) {
	return preprocess(
		(value) => (value === null || value === '' ? undefined : value),
		z.optional(schema)
	);
}

/** `schema` on what `fn` makes of the value (classic zod's `preprocess`, which zod/mini lacks). */
function preprocess<B extends z.core.SomeType>(
	fn: (value: unknown) => unknown,
	schema: B
): z.ZodMiniPipe<z.ZodMiniTransform<unknown, unknown>, B> {
	// The transform's output is `unknown`; `schema` is what checks it.
	return z.pipe(z.transform(fn), schema as unknown as z.ZodMiniType) as unknown as z.ZodMiniPipe<
		z.ZodMiniTransform<unknown, unknown>,
		B
	>;
}

/** Codes and statuses are strings on the wire; tolerate a firmware that sends them as numbers. */
const code = z.pipe(z.union([z.string(), z.number()]), z.transform(String));
const text = z.pipe(z.union([z.string(), z.number()]), z.transform(String));
const amount = z.union([
	wireDecimal,
	z.pipe(z.number().check(z.nonnegative()), z.transform(String))
]);

export const paymentResultSchema = z.looseObject({
	merchant_order_no: optional(z.string()),
	orig_merchant_order_no: optional(z.string()),
	trans_type: optional(code),
	trans_status: optional(code),
	trans_no: optional(text),
	price_currency: optional(z.string()),
	order_amount: optional(amount),
	tip_amount: optional(amount),
	cashback_amount: optional(amount),
	/** Not in the page; reported by newer firmware. Falls back to order + tip + cashback. */
	total_amount: optional(amount),
	paid_amount: optional(amount),
	pay_method_id: optional(z.string()),
	pay_scenario: optional(z.string()),
	card_type: optional(code),
	/** Masked PAN: `card_no` on newer firmware, `pay_user_account_id` in the ECR Hub SDK. */
	card_no: optional(z.string()),
	pay_user_account_id: optional(z.string()),
	auth_code: optional(text),
	pay_channel_trans_no: optional(text),
	trans_end_time: optional(z.string()),
	attach: optional(z.string())
});
export type PaymentResult = z.infer<typeof paymentResultSchema>;

export const closeResultSchema = z.looseObject({ merchant_order_no: optional(z.string()) });
export type CloseResult = z.infer<typeof closeResultSchema>;

export const tipAdjustResultSchema = z.looseObject({
	merchant_order_no: optional(z.string()),
	tip_adjustment_amount: optional(amount),
	tip_amount: optional(amount),
	order_amount: optional(amount),
	total_amount: optional(amount),
	trans_status: optional(code),
	trans_no: optional(text)
});
export type TipAdjustResult = z.infer<typeof tipAdjustResultSchema>;

export const batchCloseResultSchema = z.looseObject({
	batch_no: optional(text),
	total_count: optional(
		z.union([z.int().check(z.nonnegative()), z.string().check(z.regex(/^\d+$/))])
	),
	total_amount: optional(amount)
});
export type BatchCloseResult = z.infer<typeof batchCloseResultSchema>;

export const deviceInfoSchema = z.looseObject({});

/**
 * `biz_data` arrives as an object, as `""` (NOTES.md §1, code 110), or absent. Some bridges
 * stringify it: a string holding a JSON object is unwrapped; any other string counts as empty.
 */
function bizData<T extends z.ZodMiniType>(schema: T) {
	return preprocess((value) => {
		if (typeof value !== 'string') return value;
		if (value.trim() === '') return undefined;
		try {
			return JSON.parse(value) as unknown;
		} catch {
			return value; // fails the object schema below: a broken biz_data is a broken message
		}
	}, z.optional(schema));
}

const envelope = {
	request_id: optional(z.string()),
	timestamp: optional(text),
	version: optional(z.string()),
	app_id: optional(z.string()),
	response_code: code,
	response_msg: optional(z.string())
};

export const inboundMessageSchema = z.discriminatedUnion('topic', [
	z.looseObject({
		...envelope,
		topic: z.enum([TOPIC.order, TOPIC.query]),
		biz_data: bizData(paymentResultSchema)
	}),
	z.looseObject({
		...envelope,
		topic: z.literal(TOPIC.close),
		biz_data: bizData(closeResultSchema)
	}),
	z.looseObject({
		...envelope,
		topic: z.literal(TOPIC.tipAdjust),
		biz_data: bizData(tipAdjustResultSchema)
	}),
	z.looseObject({
		...envelope,
		topic: z.literal(TOPIC.batchClose),
		biz_data: bizData(batchCloseResultSchema)
	}),
	z.looseObject({
		...envelope,
		topic: z.enum([TOPIC.heartbeat, TOPIC.init, TOPIC.getInfo]),
		biz_data: bizData(deviceInfoSchema)
	})
]);
export type InboundMessage = z.infer<typeof inboundMessageSchema>;
export type PaymentMessage = Extract<
	InboundMessage,
	{ topic: 'ecrhub.pay.order' | 'ecrhub.pay.query' }
>;
