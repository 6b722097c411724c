/**
 * Pure codec for the CodePay LAN protocol: POS requests → request envelopes, inbound frames →
 * typed messages, terminal responses → driver `Outcome`s. No I/O, no clocks except through
 * arguments.
 */
import { TerminalError, type Outcome } from '../driver';
import {
	BUSY_CODE,
	CANCELLED_CODE,
	SUCCESS_CODES,
	TOPIC,
	TOPICS,
	TRANS_STATUS,
	inboundMessageSchema,
	orderRefBizSchema,
	orderRequestBizSchema,
	requestEnvelopeSchema,
	tipAdjustRequestBizSchema,
	ORDER_NO,
	type InboundMessage,
	type OrderRequestBiz,
	type PaymentMessage,
	type ReceiptPrintMode,
	type RequestEnvelope,
	type Topic,
	type TransType
} from './messages';
import type { FuelLine as ForecourtLine } from '../driver';
import { checkFuelLines as checkForecourt } from '../fuel-lines';
import { fromWireAmount, toWireAmount } from './wire-amount';

export { checkForecourt, type ForecourtLine };

export type Profile = 'codepay' | 'wisecashier';

export interface EnvelopeOptions {
	appId: string;
	/** Defaults to a fresh random id. */
	requestId?: string;
	/** Milliseconds since the epoch; defaults to `Date.now()`. */
	now?: number;
}

/** A card operation (`ecrhub.pay.order`) as the POS describes it; amounts in minor units. */
export interface PosOrder {
	transType: TransType;
	merchantOrderNo: string;
	origMerchantOrderNo?: string;
	amount: number;
	tip?: number;
	cashback?: number;
	currency: string;
	description?: string;
	onScreenTip?: boolean;
	confirmOnTerminal?: boolean;
	onScreenSignature?: boolean;
	receiptPrintMode?: ReceiptPrintMode;
	requireTerminalAuth?: boolean;
	forecourt?: ForecourtLine[];
}

/**
 * Request ids must be unique per request (spec, `request_id`). `crypto.getRandomValues` works in
 * insecure contexts too (`randomUUID` does not), which matters for a POS opened over plain http.
 */
export function newRequestId(): string {
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function buildEnvelope(
	topic: Topic,
	bizData: Record<string, unknown>,
	options: EnvelopeOptions
): RequestEnvelope {
	return {
		topic,
		request_id: options.requestId ?? newRequestId(),
		timestamp: String(options.now ?? Date.now()),
		version: '1.0',
		app_id: options.appId,
		biz_data: bizData
	};
}

function badRequest(message: string): TerminalError {
	return new TerminalError('bad_request', message, false);
}

function wire(minor: number, currency: string, what: string): string {
	try {
		return toWireAmount(minor, currency);
	} catch (error) {
		throw badRequest(`${what}: ${error instanceof Error ? error.message : String(error)}`);
	}
}

function checkOrderNo(value: string, what: string): void {
	if (!ORDER_NO.test(value)) {
		throw badRequest(`${what} "${value}" must be 1–32 letters or digits (CodePay rule)`);
	}
}

/** Fields the CodePay page defines that the WiseCashier page does not. */
const CODEPAY_ONLY = ['price_currency', 'on_screen_tip', 'on_screen_signature'] as const;

/**
 * `ecrhub.pay.order` biz_data for a POS order. Throws `TerminalError('bad_request', …, false)`
 * when the order cannot be expressed (bad order number, amount, fuel lines): nothing was sent.
 */
export function buildOrderBiz(order: PosOrder, profile: Profile): OrderRequestBiz {
	checkOrderNo(order.merchantOrderNo, 'Order number');
	if (order.origMerchantOrderNo !== undefined) {
		checkOrderNo(order.origMerchantOrderNo, 'Original order number');
	}
	const { currency } = order;
	const biz: Record<string, unknown> = {
		trans_type: order.transType,
		merchant_order_no: order.merchantOrderNo,
		orig_merchant_order_no: order.origMerchantOrderNo,
		price_currency: currency,
		order_amount: wire(order.amount, currency, 'Amount'),
		tip_amount: order.tip ? wire(order.tip, currency, 'Tip') : undefined,
		cashback_amount: order.cashback ? wire(order.cashback, currency, 'Cashback') : undefined,
		on_screen_tip: order.onScreenTip,
		description: order.description,
		confirm_on_terminal: order.confirmOnTerminal,
		required_terminal_authentication: order.requireTerminalAuth,
		on_screen_signature: order.onScreenSignature,
		receipt_print_mode: order.receiptPrintMode
	};
	if (order.forecourt) {
		if (profile !== 'wisecashier') {
			throw badRequest('Fuel data (forecourt_data) is only supported by WiseCashier terminals');
		}
		const problem = checkForecourt(order.forecourt, order.amount, currency);
		if (problem) throw badRequest(problem);
		biz.forecourt_data = order.forecourt.map((line) => ({
			code: line.code,
			quantity: line.quantity,
			amount: String(line.amount)
		}));
	}
	if (profile === 'wisecashier') for (const key of CODEPAY_ONLY) delete biz[key];
	for (const key of Object.keys(biz)) if (biz[key] === undefined) delete biz[key];

	const parsed = orderRequestBizSchema.safeParse(biz);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw badRequest(`Cannot send this order: ${issue?.path.join('.')} ${issue?.message}`);
	}
	return parsed.data;
}

export function buildOrder(order: PosOrder, profile: Profile, options: EnvelopeOptions) {
	return buildEnvelope(TOPIC.order, buildOrderBiz(order, profile), options);
}

/** `ecrhub.pay.query` / `ecrhub.pay.close` biz_data: only the order number. */
export function buildOrderRefBiz(merchantOrderNo: string): { merchant_order_no: string } {
	checkOrderNo(merchantOrderNo, 'Order number');
	return orderRefBizSchema.parse({ merchant_order_no: merchantOrderNo });
}

/** `ecrhub.pay.tip.adjustment` biz_data (NOTES.md §1). */
export function buildTipAdjustBiz(merchantOrderNo: string, tip: number, currency: string) {
	checkOrderNo(merchantOrderNo, 'Order number');
	return tipAdjustRequestBizSchema.parse({
		merchant_order_no: merchantOrderNo,
		tip_adjustment_amount: wire(tip, currency, 'Tip')
	});
}

export function serialize(envelope: RequestEnvelope): string {
	// A guard on our own output: a malformed envelope is a bug here, not something to send.
	return JSON.stringify(requestEnvelopeSchema.parse(envelope));
}

// ---------------------------------------------------------------------------------------------
// Inbound

export type DecodeErrorKind =
	'not_text' | 'not_json' | 'not_response' | 'unknown_topic' | 'invalid';

export interface DecodeError {
	kind: DecodeErrorKind;
	message: string;
}

export type DecodeResult =
	{ ok: true; message: InboundMessage } | { ok: false; error: DecodeError };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function frameText(data: unknown): string | undefined {
	if (typeof data === 'string') return data;
	try {
		if (data instanceof ArrayBuffer) return utf8.decode(data);
		if (ArrayBuffer.isView(data)) return utf8.decode(data);
	} catch {
		return undefined;
	}
	return undefined;
}

/** Text or binary frame → typed message or typed error (NOTES.md §1: binary JSON is accepted). */
export function decodeFrame(data: unknown): DecodeResult {
	const fail = (kind: DecodeErrorKind, message: string): DecodeResult => ({
		ok: false,
		error: { kind, message }
	});
	const text = frameText(data);
	if (text === undefined) return fail('not_text', 'Frame is neither text nor UTF-8 bytes');
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return fail('not_json', `Frame is not JSON: ${text.slice(0, 60)}`);
	}
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return fail('invalid', 'Frame is not a JSON object');
	}
	const topic = (json as { topic?: unknown }).topic;
	if (typeof topic !== 'string' || !(TOPICS as readonly string[]).includes(topic)) {
		return fail('unknown_topic', `Unknown topic ${JSON.stringify(topic)}`);
	}
	if (!('response_code' in json)) {
		return fail('not_response', `Message on ${topic} has no response_code`);
	}
	const parsed = inboundMessageSchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return fail('invalid', `Malformed ${topic}: ${issue?.path.join('.')} ${issue?.message}`);
	}
	return { ok: true, message: parsed.data };
}

export function isSuccess(code: string): boolean {
	return SUCCESS_CODES.includes(code);
}

/** The merchant order number a response is about, when it says. */
export function orderNoOf(message: InboundMessage): string | undefined {
	const biz = message.biz_data as { merchant_order_no?: unknown } | undefined;
	return typeof biz?.merchant_order_no === 'string' ? biz.merchant_order_no : undefined;
}

/** A success answer that says the order is still being worked on; the final answer follows. */
export function isInterim(message: InboundMessage): boolean {
	if (message.topic !== TOPIC.order || !isSuccess(message.response_code)) return false;
	const status = message.biz_data?.trans_status;
	return status === TRANS_STATUS.inProgress || status === TRANS_STATUS.created;
}

function minor(text: string | undefined, currency: string): number | undefined {
	if (text === undefined) return undefined;
	try {
		return fromWireAmount(text, currency);
	} catch {
		return undefined; // unknown currency: report no amount rather than a wrong one
	}
}

/** Reference, card and amounts of a payment result, in the POS's units. */
function details(message: PaymentMessage, currency: string): Omit<Outcome, 'status'> {
	const biz = message.biz_data;
	const result: Omit<Outcome, 'status'> = { code: message.response_code };
	if (!biz) return result;
	// Amounts are read in the POS's currency: the terminal is configured for the shop's currency.
	const order = minor(biz.order_amount, currency);
	const tip = minor(biz.tip_amount, currency);
	const cashback = minor(biz.cashback_amount, currency);
	// Outcome.amount is what was charged: the terminal's total when it gives one, else the parts.
	const total =
		minor(biz.total_amount, currency) ??
		(order === undefined ? undefined : order + (tip ?? 0) + (cashback ?? 0));
	if (biz.trans_no) result.reference = biz.trans_no;
	if (biz.pay_method_id) result.cardBrand = biz.pay_method_id;
	const masked = biz.card_no || biz.pay_user_account_id;
	if (masked) result.maskedCard = masked;
	if (biz.auth_code) result.authCode = biz.auth_code;
	if (total !== undefined) result.amount = total;
	if (tip !== undefined) result.tip = tip;
	// The cash the terminal approved handing over: the journal records this, not what was asked.
	if (cashback !== undefined) result.cashback = cashback;
	return result;
}

/**
 * A `ecrhub.pay.order` / `ecrhub.pay.query` response as the cashier should see it.
 * Order: 000/0 → by `trans_status`; 110 → cancelled; anything else → declined with the terminal's
 * message (NOTES.md §1). Query: a failed query means the terminal could not tell → `unknown`.
 */
export function paymentOutcome(message: PaymentMessage, currency: string): Outcome {
	const base = details(message, currency);
	const msg = message.response_msg || undefined;
	if (isSuccess(message.response_code)) {
		switch (message.biz_data?.trans_status) {
			case TRANS_STATUS.success:
				return { status: 'approved', ...base };
			case TRANS_STATUS.failed:
				return { status: 'declined', ...base, message: msg ?? 'Declined on the terminal' };
			case TRANS_STATUS.cancelled:
				return { status: 'cancelled', ...base, message: msg ?? 'Cancelled on the terminal' };
			case TRANS_STATUS.inProgress:
			case TRANS_STATUS.created:
				return { status: 'unknown', ...base, message: 'The terminal is still processing it' };
			default:
				return { status: 'unknown', ...base, message: 'The terminal gave no transaction status' };
		}
	}
	if (message.topic === TOPIC.query) {
		return {
			status: 'unknown',
			...base,
			message: msg ?? `Query failed (${message.response_code})`
		};
	}
	if (message.response_code === CANCELLED_CODE) {
		return { status: 'cancelled', ...base, message: msg ?? 'Cancelled on the terminal' };
	}
	if (message.response_code === BUSY_CODE) {
		return {
			status: 'declined',
			...base,
			reason: 'terminal_busy',
			message: msg ?? 'The terminal is busy with another payment'
		};
	}
	return {
		status: 'declined',
		...base,
		message: msg ?? `Declined by the terminal (code ${message.response_code})`
	};
}

type TipAdjustMessage = Extract<InboundMessage, { topic: 'ecrhub.pay.tip.adjustment' }>;

export function tipAdjustOutcome(message: TipAdjustMessage, currency: string): Outcome {
	const biz = message.biz_data;
	if (!isSuccess(message.response_code)) {
		return {
			status: 'declined',
			code: message.response_code,
			message: message.response_msg || `Tip adjustment refused (code ${message.response_code})`
		};
	}
	const outcome: Outcome = { status: 'approved', code: message.response_code };
	const tip = minor(biz?.tip_amount ?? biz?.tip_adjustment_amount, currency);
	const total = minor(biz?.total_amount, currency);
	if (tip !== undefined) outcome.tip = tip;
	if (total !== undefined) outcome.amount = total;
	if (biz?.trans_no) outcome.reference = biz.trans_no;
	return outcome;
}
