/**
 * What the till sends for a merchant-hosted checkout (the card only as the browser's ciphertext),
 * and what the gateway answers to `pay.merchant.checkout` and `order.refund.submit`.
 */
import { z } from 'zod/mini';
import { cleanString } from '$lib/text/clean-text';
import { pageUrl } from './schemas';

const ORDER_NO = /^[A-Za-z0-9]{1,32}$/;
const id = cleanString().check(z.minLength(1)).check(z.maxLength(64));
const orderNo = z.string().check(z.regex(ORDER_NO));
const minor = z.int().check(z.gte(0)).check(z.lte(Number.MAX_SAFE_INTEGER));

/**
 * RSA-OAEP blocks of a 2048-bit key (or larger), base64: whole 256-byte blocks, at most 16 of
 * them. Anything else (a card number in clear above all) is refused before the gateway is asked.
 */
export const cardCiphertext = z
	.string()
	.check(z.maxLength(8192))
	.check(z.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'The card must be encrypted in the browser.'))
	.check(
		z.refine((text) => {
			const bytes = (text.length / 4) * 3 - (text.match(/=+$/)?.[0].length ?? 0);
			return text.length % 4 === 0 && bytes > 0 && bytes % 256 === 0;
		}, 'The card must be encrypted in the browser.')
	);

/**
 * The spec's Billing Address (required by the method): the holder's name always, the address when
 * the terminal's config asks the form for it; `country` is ISO 3166-1 alpha-2.
 */
export const billingAddressSchema = z.strictObject({
	name: cleanString().check(z.minLength(1)).check(z.maxLength(64)),
	country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/))),
	province: z.optional(cleanString().check(z.maxLength(64))),
	city: z.optional(cleanString().check(z.minLength(1)).check(z.maxLength(64))),
	address1: z.optional(cleanString().check(z.minLength(1)).check(z.maxLength(128))),
	address2: z.optional(cleanString().check(z.maxLength(128))),
	zip: z.optional(cleanString().check(z.minLength(1)).check(z.maxLength(16))),
	phone: z.optional(cleanString().check(z.maxLength(32)))
});
export type BillingAddress = z.infer<typeof billingAddressSchema>;

export const checkoutBody = z.object({
	terminalId: id,
	merchantOrderNo: orderNo,
	amount: minor.check(z.positive()),
	tip: z._default(minor, 0),
	currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
	description: z.optional(cleanString().check(z.maxLength(128))),
	card: cardCiphertext,
	/** The billing address as JSON text (the form's `railInput` holds strings only). */
	billingAddress: z.optional(z.string().check(z.maxLength(2048)))
});

export const refundBody = z.object({
	terminalId: id,
	attemptId: z.optional(id),
	orderId: z.optional(id),
	approvalId: z.optional(id),
	merchantOrderNo: orderNo,
	origMerchantOrderNo: orderNo,
	amount: minor.check(z.positive()),
	currency: z.string().check(z.regex(/^[A-Z]{3}$/))
});

const intLike = z.union([
	z.int(),
	z.pipe(z.string().check(z.regex(/^-?\d+$/)), z.transform(Number))
]);

/** `data` of `pay.merchant.checkout` (spec: Merchant Hosted Checkout, response). */
export const merchantCheckoutDataSchema = z.object({
	trans_no: z.optional(z.string().check(z.maxLength(32))),
	trans_status: z.optional(intLike),
	pay_method_id: z.optional(z.string().check(z.maxLength(32))),
	redirect_url_3dsecure: pageUrl.optional().or(z.literal(''))
});
