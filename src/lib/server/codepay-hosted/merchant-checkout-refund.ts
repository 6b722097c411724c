/**
 * Refunds of merchant-hosted card payments (spec: Submit Order Refund, Query Refund): recorded as a
 * cloud order of kind `refund` before `order.refund.submit` is sent (one refund number is never
 * sent twice), and settled only by a signed `order.refund.query`. Partial refunds up to what is
 * left are the gateway's to enforce as well as the journal's and the manager approval's.
 */
import { toDecimalString } from '$lib/money';
import type { CloudRail } from '../codepay-cloud/cloud-rail';
import { isOpen, mayMove, type CloudOrderState } from '../codepay-cloud/order-state';
import { settlementOf } from '../codepay-cloud/outcome';
import { transactionSchema } from '../codepay-cloud/schemas';
import type { CloudOrder } from '../store/cloud-order-store';
import { refundDataSchema } from './merchant-checkout-schemas';

/** Refunds are not polled like a terminal's orders: the till and this module ask. */
const NO_POLL_MS = 365 * 24 * 3600_000;

export interface RefundInput {
	deviceId: string;
	terminalId: string;
	merchantOrderNo: string;
	origMerchantOrderNo: string;
	amount: number;
	currency: string;
	notifyUrl: string;
}

async function moveTo(
	rail: CloudRail,
	no: string,
	next: { state: CloudOrderState; transNo?: string; outcome?: Record<string, unknown> },
	now: number
): Promise<CloudOrder | null> {
	return (await rail.orders.move(no, (o) => mayMove(o.state, next.state), next, now)).order;
}

/** A signed `order.refund.query`, and the refund settled by what it says. */
export async function queryRefund(
	rail: CloudRail,
	order: CloudOrder,
	now: () => number
): Promise<CloudOrder> {
	if (!isOpen(order.state)) return order;
	const result = await rail.gateway.call(
		'refundQuery',
		{ merchant_order_no: order.merchantOrderNo },
		transactionSchema
	);
	if (result.kind === 'refused' && order.state === 'sending') {
		const outcome = { status: 'declined', code: result.code, message: result.message };
		return (
			(await moveTo(rail, order.merchantOrderNo, { state: 'failed', outcome }, now())) ?? order
		);
	}
	if (result.kind !== 'ok') return order;
	const settlement = settlementOf(order, result.data);
	if (settlement.kind !== 'final') return order;
	const next = {
		state: settlement.state,
		outcome: settlement.outcome,
		transNo: settlement.transNo
	};
	return (await moveTo(rail, order.merchantOrderNo, next, now())) ?? order;
}

export async function refundCheckout(
	rail: CloudRail,
	input: RefundInput,
	now: () => number
): Promise<{ order: CloudOrder; created: boolean }> {
	const at = now();
	const created = await rail.orders.create({
		merchantOrderNo: input.merchantOrderNo,
		deviceId: input.deviceId,
		terminalId: input.terminalId,
		kind: 'refund',
		amount: input.amount,
		tip: 0,
		currency: input.currency,
		origMerchantOrderNo: input.origMerchantOrderNo,
		expiresAt: at + NO_POLL_MS,
		nextPollAt: at + NO_POLL_MS,
		createdAt: at
	});
	const existing = await rail.orders.get(input.merchantOrderNo);
	if (!existing) throw new Error('cloud order vanished');
	if (!created) return { order: await queryRefund(rail, existing, now), created: false };
	const result = await rail.gateway.call(
		'refundSubmit',
		{
			orig_merchant_order_no: input.origMerchantOrderNo,
			merchant_order_no: input.merchantOrderNo,
			price_currency: input.currency,
			order_amount: Number(toDecimalString(input.amount, input.currency)),
			description: 'Refund at the POS',
			notify_url: input.notifyUrl
		},
		refundDataSchema
	);
	let order: CloudOrder | null = existing;
	if (result.kind === 'ok') {
		order = await moveTo(
			rail,
			input.merchantOrderNo,
			{ state: 'sent', transNo: result.data.trans_no },
			now()
		);
	} else if (result.kind === 'refused' || result.kind === 'unreachable') {
		const outcome =
			result.kind === 'refused'
				? { status: 'declined', code: result.code, message: result.message }
				: { status: 'declined', code: 'unreachable', message: 'The gateway cannot be reached.' };
		order = await moveTo(rail, input.merchantOrderNo, { state: 'failed', outcome }, now());
	} else {
		order = await moveTo(rail, input.merchantOrderNo, { state: 'unknown' }, now());
	}
	return { order: await queryRefund(rail, order ?? existing, now), created: true };
}
