/**
 * Merchant-hosted checkout on the server (issue 11): a card typed at the till, encrypted there with
 * the gateway's public key, is charged with `pay.merchant.checkout`. The server sees only the
 * ciphertext: it records the order (keyed by merchant_order_no, before the gateway is asked, so one
 * number is never charged twice), signs the call, and believes the result only from a signed
 * `order.query` (the spec: "actively query the order to obtain the payment result"), a verified
 * notification or the poller, which settle these orders like any cloud order. A 3-D Secure step
 * leaves the order `sent` with the gateway's `redirect_url_3dsecure` for the till to open.
 *
 * A minimal server side of its own: it should move onto the hosted-checkout core once that lands.
 */
import { toDecimalString } from '$lib/money';
import type { TerminalConfig } from '$lib/terminals/driver';
import type { CloudRail } from '../codepay-cloud/cloud-rail';
import { mayMove, type CloudOrderState } from '../codepay-cloud/order-state';
import type { CloudOrder } from '../store/cloud-order-store';
import { merchantCheckoutDataSchema, type BillingAddress } from './merchant-checkout-schemas';

/** How long the card's payment may take, 3-D Secure included (`expires`, seconds). */
export const CHECKOUT_EXPIRES_S = 600;
const FIRST_POLL_MS = 5_000;

export interface CheckoutInput {
	deviceId: string;
	terminal: TerminalConfig;
	merchantOrderNo: string;
	amount: number;
	tip: number;
	currency: string;
	description?: string;
	/** The browser's ciphertext (base64), passed on as it is: never logged, never stored. */
	card: string;
	billingAddress: BillingAddress;
	notifyUrl: string;
	returnUrl: string;
}

export interface CheckoutResult {
	order: CloudOrder;
	created: boolean;
	/** Where the cardholder completes 3-D Secure, when the gateway asks for it. */
	threeDsUrl?: string;
}

/** The 3-D Secure page an order waits on, kept in its (not yet final) outcome. */
export function threeDsUrlOf(order: CloudOrder): string | undefined {
	const url = order.state === 'sent' ? order.outcome?.threeDsUrl : undefined;
	return typeof url === 'string' ? url : undefined;
}

export async function merchantCheckout(
	rail: CloudRail,
	input: CheckoutInput,
	now: () => number
): Promise<CheckoutResult> {
	const at = now();
	// The tip rides in order_amount (the method has no tip field): the record holds the total.
	const total = input.amount + input.tip;
	const created = await rail.orders.create({
		merchantOrderNo: input.merchantOrderNo,
		deviceId: input.deviceId,
		terminalId: input.terminal.id,
		kind: 'sale',
		amount: total,
		tip: 0,
		currency: input.currency,
		origMerchantOrderNo: null,
		expiresAt: at + CHECKOUT_EXPIRES_S * 1000,
		nextPollAt: at + FIRST_POLL_MS,
		createdAt: at
	});
	if (!created) {
		const existing = await rail.orders.get(input.merchantOrderNo);
		if (!existing) throw new Error('cloud order vanished');
		return { order: existing, created: false, threeDsUrl: threeDsUrlOf(existing) };
	}
	const params = input.terminal.params;
	const result = await rail.gateway.call(
		'merchantCheckout',
		{
			merchant_no: params.merchantNo === undefined ? undefined : String(params.merchantNo),
			store_no: params.storeNo === undefined ? undefined : String(params.storeNo),
			card: input.card,
			// Nested objects travel as pre-serialised JSON text, which is what is signed (NOTES.md §2).
			billing_address: JSON.stringify(input.billingAddress),
			merchant_order_no: input.merchantOrderNo,
			price_currency: input.currency,
			order_amount: Number(toDecimalString(total, input.currency)),
			expires: CHECKOUT_EXPIRES_S,
			description: (input.description ?? 'Card not present').slice(0, 128),
			return_url: input.returnUrl,
			notify_url: input.notifyUrl
		},
		merchantCheckoutDataSchema
	);
	let next: { state: CloudOrderState; transNo?: string; outcome?: Record<string, unknown> };
	if (result.kind === 'ok') {
		const threeDsUrl = result.data.redirect_url_3dsecure || undefined;
		next = {
			state: 'sent',
			transNo: result.data.trans_no,
			outcome: threeDsUrl ? { threeDsUrl } : undefined
		};
	} else if (result.kind === 'refused') {
		next = {
			state: 'failed',
			outcome: { status: 'declined', code: result.code, message: result.message }
		};
	} else if (result.kind === 'unreachable') {
		next = {
			state: 'failed',
			outcome: {
				status: 'declined',
				code: 'unreachable',
				message: 'The gateway cannot be reached.'
			}
		};
	} else next = { state: 'unknown' };
	const moved = await rail.orders.move(
		input.merchantOrderNo,
		(o) => mayMove(o.state, next.state),
		next,
		now()
	);
	let order = moved.order ?? (await rail.orders.get(input.merchantOrderNo));
	if (!order) throw new Error('cloud order vanished');
	const threeDsUrl = threeDsUrlOf(order);
	// Whatever the answer said of the payment, the result is what a signed order.query says.
	if (!threeDsUrl && (order.state === 'sent' || order.state === 'unknown')) {
		order = (await rail.query(input.merchantOrderNo)) ?? order;
	}
	return { order, created: true, threeDsUrl };
}
