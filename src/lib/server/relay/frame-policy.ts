/**
 * What the relay believes about a frame a page sends to a terminal (NOTES.md §1). Every frame must
 * be a CodePay request the relay can read; money leaving a card (refund, void, the cancels and the
 * completion refund) or a terminal's books closing (batch close) needs a manager's approval on the
 * server, for exactly that operation. Everything else (sales, queries, close, tip adjustment,
 * heartbeats, info) goes through as the page sent it. Pure: the relay does the claiming.
 */
import type { z } from 'zod/mini';
import type { ApprovalAction } from '../approvals/approval-scope';
import {
	TOPIC,
	TRANS_TYPE,
	orderRefBizSchema,
	orderRequestBizSchema,
	requestEnvelopeSchema,
	tipAdjustRequestBizSchema
} from '$lib/terminals/codepay-lan/messages';
import type { RelayRefusalReason } from '$lib/terminals/codepay-lan/relay-protocol';
import { fromWireAmount } from '$lib/terminals/codepay-lan/wire-amount';

/** `trans_type`s that move money off a card, and the approval each needs. */
export const APPROVAL_OF_TRANS_TYPE: Readonly<
	Record<string, Exclude<ApprovalAction, 'batch_close'>>
> = {
	[TRANS_TYPE.void]: 'void',
	[TRANS_TYPE.refund]: 'refund',
	[TRANS_TYPE.preAuthCancel]: 'preauth_cancel',
	// A completion is charged like a sale: cancelling it is its void, refunding it a refund.
	[TRANS_TYPE.completionCancel]: 'void',
	[TRANS_TYPE.completionRefund]: 'refund'
};

/** Cancels and reversals: with `requireTerminalAuth`, the terminal asks its operator password. */
const TERMINAL_AUTH_TYPES: readonly string[] = Object.keys(APPROVAL_OF_TRANS_TYPE);

/** What the relay knows about the terminal, from the server's configuration. */
export interface FrameTerminal {
	terminalId: string;
	currency: string;
	/** Reversals must ask the terminal's operator password (`required_terminal_authentication`). */
	requireTerminalAuth: boolean;
}

/** The approval a frame needs: what `store.claimApprovalForFrame` (or its batch twin) matches. */
export type ApprovalClaim =
	| {
			action: Exclude<ApprovalAction, 'batch_close'>;
			origMerchantOrderNo: string;
			/** Minor units of the terminal's currency. */
			amount: number;
			merchantOrderNo: string;
	  }
	| { action: 'batch_close'; terminalId: string; requestId: string };

export type FrameVerdict =
	| { kind: 'pass' }
	| { kind: 'approve'; requestId: string; claim: ApprovalClaim }
	| { kind: 'refuse'; requestId?: string; reason: RelayRefusalReason; message: string };

/** The words a cashier reads for each action. */
const ACTION_TEXT: Record<ApprovalAction, string> = {
	refund: 'refund',
	void: 'void',
	preauth_cancel: 'release of the card hold',
	batch_close: 'batch close',
	// A resolution sends no frame; named here because every action has its words.
	resolve_not_charged: 'resolution as not charged',
	resolve_charged: 'resolution as charged'
};

export function approvalRequiredMessage(action: ApprovalAction): string {
	return `A manager must approve this ${ACTION_TEXT[action]} on the server (the manager's PIN at this till) before the terminal may run it. Nothing was sent to the terminal.`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function unreadable(detail: string, requestId?: string): FrameVerdict {
	return {
		kind: 'refuse',
		...(requestId ? { requestId } : {}),
		reason: 'unreadable',
		message: `The POS server's relay did not send this to the terminal: ${detail}.`
	};
}

function parse<T extends z.ZodMiniType>(schema: T, value: unknown): z.infer<T> | undefined {
	const parsed = schema.safeParse(value);
	return parsed.success ? parsed.data : undefined;
}

/** Judges one frame from the page. `data` is the frame's payload as received. */
export function judgeFrame(
	data: Uint8Array,
	isBinary: boolean,
	terminal: FrameTerminal
): FrameVerdict {
	if (isBinary) return unreadable('it is binary, and CodePay requests are JSON text');
	let json: unknown;
	try {
		json = JSON.parse(utf8.decode(data));
	} catch {
		return unreadable('it is not JSON text');
	}
	const envelope = requestEnvelopeSchema.safeParse(json);
	if (!envelope.success) {
		const id = (json as { request_id?: unknown } | null)?.request_id;
		const requestId = typeof id === 'string' && id.length <= 128 ? id : undefined;
		return unreadable('it is not a CodePay request', requestId);
	}
	const { topic, biz_data: biz, request_id: requestId } = envelope.data;
	const refuse = (reason: RelayRefusalReason, message: string): FrameVerdict => ({
		kind: 'refuse',
		requestId,
		reason,
		message
	});
	switch (topic) {
		case TOPIC.order: {
			const order = parse(orderRequestBizSchema, biz);
			if (!order) return unreadable('its order is not a valid CodePay order', requestId);
			const action = APPROVAL_OF_TRANS_TYPE[order.trans_type];
			if (!action) return { kind: 'pass' };
			if (!order.orig_merchant_order_no) {
				return unreadable('a reversal must name the payment it reverses', requestId);
			}
			// The approval binds one amount: a reversal carries it all in `order_amount`.
			if (order.tip_amount !== undefined || order.cashback_amount !== undefined) {
				return unreadable('a reversal carries its whole amount in order_amount', requestId);
			}
			if (order.price_currency !== undefined && order.price_currency !== terminal.currency) {
				return unreadable(`this terminal works in ${terminal.currency}`, requestId);
			}
			const amount = fromWireAmount(order.order_amount, terminal.currency);
			if (amount === undefined) {
				return unreadable(`its amount is not an amount in ${terminal.currency}`, requestId);
			}
			if (
				terminal.requireTerminalAuth &&
				TERMINAL_AUTH_TYPES.includes(order.trans_type) &&
				order.required_terminal_authentication !== true
			) {
				return refuse(
					'terminal_auth_required',
					'This terminal must ask for its operator password on refunds, voids and cancels, and this request did not. Reload the till to take the server’s terminal settings. Nothing was sent to the terminal.'
				);
			}
			return {
				kind: 'approve',
				requestId,
				claim: {
					action,
					origMerchantOrderNo: order.orig_merchant_order_no,
					amount,
					merchantOrderNo: order.merchant_order_no
				}
			};
		}
		case TOPIC.query:
		case TOPIC.close:
			return parse(orderRefBizSchema, biz)
				? { kind: 'pass' }
				: unreadable(`its ${topic} is not valid`, requestId);
		case TOPIC.tipAdjust:
			return parse(tipAdjustRequestBizSchema, biz)
				? { kind: 'pass' }
				: unreadable('its tip adjustment is not valid', requestId);
		case TOPIC.batchClose:
			if (Object.keys(biz).length > 0) {
				return unreadable('a batch close carries no data', requestId);
			}
			return {
				kind: 'approve',
				requestId,
				claim: { action: 'batch_close', terminalId: terminal.terminalId, requestId }
			};
		case TOPIC.heartbeat:
		case TOPIC.init:
		case TOPIC.getInfo:
			return { kind: 'pass' };
	}
}
