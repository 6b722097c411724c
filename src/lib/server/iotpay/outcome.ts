/**
 * What an IOT Pay answer means for the payment, pure (NOTES.md §4 and the vendor page's
 * 从返回结果中获取订单状态):
 * - `retCode` and `resCode` SUCCESS, a valid `sign`, and `payOrder.status` 2 or 3: approved;
 *   4 or 9: cancelled (the terminal's text in `extra.receiptDisp`); 0 or 1: still pending.
 * - Otherwise `FAIL`: the gateway refused before the bank was asked (nothing charged), e.g. a
 *   signature made with the wrong merchant key.
 * - Anything malformed, unsigned where a sign is expected, wrongly signed, for another order or
 *   contradicting itself: unknown, never approved.
 */
import type { Outcome } from '$lib/terminals/driver';
import { parseCardExtra, responseSchema, type CardExtra, type PayOrder } from './messages';
import { verifySign } from './sign';

export type Reading =
	| { kind: 'final'; outcome: Outcome }
	/** The order exists and is not settled yet (0 unpaid, 1 paying): ask again. */
	| { kind: 'pending'; status: number }
	/** Refused before the bank: nothing was charged. */
	| { kind: 'refused'; message: string; signatureFault: boolean }
	| { kind: 'unknown'; message: string };

const unknown = (message: string): Reading => ({ kind: 'unknown', message });

/** Masked number as the terminal prints it (`XXXXXXXXXXXX1166` → `•••• 1166`). */
function maskedCard(extra: CardExtra): string | undefined {
	const digits = /(\d{4})$/.exec(extra.cardNum?.trim() ?? '');
	return digits ? `•••• ${digits[1]}` : undefined;
}

const BRANDS: Record<string, string> = {
	V: 'Visa',
	M: 'Mastercard',
	AX: 'Amex',
	A: 'Amex',
	D: 'Discover',
	DS: 'Discover',
	J: 'JCB',
	U: 'UnionPay',
	P: 'Interac'
};

function brand(extra: CardExtra): string | undefined {
	const label = extra.emvLabel?.trim();
	if (label) return label;
	const code = extra.cardType?.trim();
	return code ? (BRANDS[code] ?? code) : undefined;
}

const blank = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

function outcomeOf(order: PayOrder, status: Outcome['status']): Outcome {
	const extra = parseCardExtra(order.extra);
	const outcome: Outcome = {
		status,
		reference: blank(extra.termInvoiceNum) ?? blank(order.payOrderId),
		cardBrand: status === 'approved' ? brand(extra) : undefined,
		maskedCard: status === 'approved' ? maskedCard(extra) : undefined,
		authCode: status === 'approved' ? blank(extra.authNum) : undefined,
		message: blank(extra.receiptDisp),
		code: String(order.status)
	};
	return Object.fromEntries(
		Object.entries(outcome).filter(([, value]) => value !== undefined)
	) as Outcome;
}

/** `{ payOrderId, invoiceNumber }` for the audit: what the gateway named the order. */
export function gatewayIds(order: PayOrder): { payOrderId?: string; invoiceNumber?: string } {
	const extra = parseCardExtra(order.extra);
	return { payOrderId: blank(order.payOrderId), invoiceNumber: blank(extra.termInvoiceNum) };
}

export interface ReadOptions {
	key: string;
	merchantOrderNo: string;
	/** The sale amount asked for (IOT Pay's `amount`, tip apart), cents: less is not believed. */
	amount: number;
	/** The currency asked for: an answer in another is not believed. */
	currency?: string;
}

/** Reads a parsed JSON answer of `create_order` or `query_order`. */
export function readResponse(body: unknown, options: ReadOptions): Reading {
	const parsed = responseSchema.safeParse(body);
	if (!parsed.success) return unknown('IOT Pay answered something the POS cannot read.');
	const response = parsed.data;
	const signed = response.sign !== undefined && response.sign !== '';
	// Checked on the body as it came (zod's output may order keys and nested objects differently).
	if (signed && !verifySign(body as Record<string, unknown>, options.key)) {
		return unknown('The answer from IOT Pay does not carry a valid signature.');
	}
	if (response.retCode !== 'SUCCESS' || response.resCode !== 'SUCCESS') {
		// A refusal that still shows a paid order contradicts itself.
		const status = response.payOrder?.status;
		if (status === 2 || status === 3) return unknown('IOT Pay said FAIL for a paid order.');
		const text = [response.retMsg, response.errDes].filter(Boolean).join(': ');
		return {
			kind: 'refused',
			message: text || 'IOT Pay refused the request.',
			signatureFault: /sign/i.test(text)
		};
	}
	if (!signed) return unknown('IOT Pay answered SUCCESS without a signature.');
	const order = response.payOrder;
	if (!order) return unknown('IOT Pay answered SUCCESS without the order.');
	if (order.mchOrderNo !== options.merchantOrderNo) {
		return unknown(`IOT Pay answered for order ${order.mchOrderNo}, not this one.`);
	}
	if (options.currency && order.currency && order.currency !== options.currency) {
		return unknown(`IOT Pay answered in ${order.currency}, not ${options.currency}.`);
	}
	switch (order.status) {
		case 2:
		case 3:
			if (order.amount !== undefined && order.amount < options.amount) {
				return unknown(`IOT Pay approved ${order.amount} cents, not the ${options.amount} asked.`);
			}
			return { kind: 'final', outcome: outcomeOf(order, 'approved') };
		case 4:
		case 9:
			return { kind: 'final', outcome: outcomeOf(order, 'cancelled') };
		case 0:
		case 1:
			return { kind: 'pending', status: order.status };
		default:
			return unknown(
				`IOT Pay reported the order in status ${order.status}, which the POS does not know.`
			);
	}
}
