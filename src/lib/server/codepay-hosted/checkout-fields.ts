/**
 * The fields of a hosted checkout request (`pay.checkout`, `pay.paycloud.checkout`; spec "CodePay
 * Hosted Checkout"), from the till's order in minor units. Pure.
 *
 * `order_detail` is an object the gateway takes as pre-serialised JSON text (NOTES.md §2: nested
 * objects are signed as the exact string sent); inside it, the payment options are themselves
 * JSON text, as in the spec's sample.
 */
import { toDecimalString } from '$lib/money';

export interface CheckoutLine {
	name: string;
	code?: string;
	quantity: number;
	/** Minor units. */
	unitPrice: number;
	/** Minor units: what the line costs. */
	amount: number;
}

export interface CheckoutInput {
	merchantOrderNo: string;
	amount: number;
	currency: string;
	/** Seconds the customer has; the spec allows up to 7 days. */
	expiresS: number;
	description: string;
	lines: readonly CheckoutLine[];
	/** Payment options offered on the page (`allow_options`), e.g. Card, ApplePay; none: all. */
	allowOptions: readonly string[];
	returnUrl?: string;
	notifyUrl: string;
	storeNo?: string;
}

/** The longest validity the spec allows (7 days). */
export const MAX_EXPIRES_S = 7 * 24 * 3600;

const major = (minor: number, currency: string) => Number(toDecimalString(minor, currency));

export function orderDetail(input: Pick<CheckoutInput, 'lines' | 'allowOptions' | 'currency'>) {
	const data: Record<string, unknown> = {
		items: input.lines.map((line) => ({
			...(line.code ? { code: line.code } : {}),
			name: line.name.slice(0, 128),
			quantity: line.quantity,
			unit_price: major(line.unitPrice, input.currency),
			amount: major(line.amount, input.currency)
		}))
	};
	if (input.allowOptions.length > 0) {
		data.payment = { allow_options: JSON.stringify(input.allowOptions) };
	}
	return JSON.stringify({ data, type: 'GENERAL' });
}

export function checkoutFields(input: CheckoutInput): Record<string, unknown> {
	if (!Number.isInteger(input.expiresS) || input.expiresS < 1 || input.expiresS > MAX_EXPIRES_S) {
		throw new RangeError(`expires must be 1..${MAX_EXPIRES_S} seconds`);
	}
	return {
		store_no: input.storeNo,
		merchant_order_no: input.merchantOrderNo,
		price_currency: input.currency,
		// Major units as a JSON number, the text of which is what is signed (NOTES.md §2).
		order_amount: major(input.amount, input.currency),
		expires: input.expiresS,
		description: input.description.slice(0, 128),
		return_url: input.returnUrl,
		notify_url: input.notifyUrl,
		order_detail: orderDetail(input)
	};
}
