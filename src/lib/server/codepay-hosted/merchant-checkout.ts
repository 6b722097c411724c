/**
 * Merchant-hosted checkout on the server (issue 11): a card typed at the till, encrypted there with
 * the gateway's public key, is charged with `pay.merchant.checkout`, a hosted order of kind `card`
 * opened through the hosted checkout's one `open` (recorded before the gateway is asked, so one
 * merchant_order_no is never charged twice). The server sees only the ciphertext and passes it on
 * as it is. The result is believed only from a signed `order.query` (the spec: "actively query the
 * order to obtain the payment result"), a verified notification or the poller. A 3-D Secure step
 * leaves the order `sent` with the gateway's `redirect_url_3dsecure` as its page for the till.
 */
import { toDecimalString } from '$lib/money';
import type { TerminalConfig } from '$lib/terminals/driver';
import { isOpen } from '../codepay-cloud/order-state';
import type { CloudOrder } from '../store/cloud-order-store';
import type { HostedCheckout } from './hosted-checkout';
import { merchantCheckoutDataSchema, type BillingAddress } from './merchant-checkout-schemas';

/** How long the card's payment may take, 3-D Secure included (`expires`, seconds). */
export const CHECKOUT_EXPIRES_S = 600;

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

/** The 3-D Secure page an open card order waits on. */
export function threeDsUrlOf(order: CloudOrder): string | undefined {
	return order.hosted === 'card' && isOpen(order.state) ? (order.payUrl ?? undefined) : undefined;
}

export async function merchantCheckout(
	hosted: HostedCheckout,
	input: CheckoutInput
): Promise<{ order: CloudOrder; created: boolean }> {
	// The tip rides in order_amount (the method has no tip field): the order holds the total.
	const total = input.amount + input.tip;
	const params = input.terminal.params;
	const opened = await hosted.open({
		kind: 'card',
		deviceId: input.deviceId,
		terminalId: input.terminal.id,
		merchantOrderNo: input.merchantOrderNo,
		amount: total,
		currency: input.currency,
		expiresS: CHECKOUT_EXPIRES_S,
		method: 'merchantCheckout',
		fields: {
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
		schema: merchantCheckoutDataSchema,
		pageOf: (data) => data.redirect_url_3dsecure || undefined,
		pageOptional: true
	});
	if (!opened.created) return { order: opened.order, created: false };
	let order = opened.order;
	// Whatever the answer said of the payment, its result is what a signed order.query says.
	if (!threeDsUrlOf(order) && isOpen(order.state)) {
		order = (await hosted.rail.query(input.merchantOrderNo)) ?? order;
	}
	return { order, created: true };
}
