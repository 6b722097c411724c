/**
 * What the till sends for a merchant-hosted checkout (the card only as the browser's ciphertext),
 * and what the gateway answers to `pay.merchant.checkout` and `order.refund.submit`.
 */
import { z } from 'zod';
import { cleanString } from '$lib/text/clean-text';
import { pageUrl } from './schemas';

const ORDER_NO = /^[A-Za-z0-9]{1,32}$/;
const id = cleanString().min(1).max(64);
const orderNo = z.string().regex(ORDER_NO);
const minor = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * RSA-OAEP blocks of a 2048-bit key (or larger), base64: whole 256-byte blocks, at most 16 of
 * them. Anything else (a card number in clear above all) is refused before the gateway is asked.
 */
export const cardCiphertext = z
	.string()
	.max(8192)
	.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'The card must be encrypted in the browser.')
	.refine((text) => {
		const bytes = (text.length / 4) * 3 - (text.match(/=+$/)?.[0].length ?? 0);
		return text.length % 4 === 0 && bytes > 0 && bytes % 256 === 0;
	}, 'The card must be encrypted in the browser.');

/**
 * The spec's Billing Address (required by the method): the holder's name always, the address when
 * the terminal's config asks the form for it; `country` is ISO 3166-1 alpha-2.
 */
export const billingAddressSchema = z.strictObject({
	name: cleanString().min(1).max(64),
	country: z
		.string()
		.regex(/^[A-Z]{2}$/)
		.optional(),
	province: cleanString().max(64).optional(),
	city: cleanString().min(1).max(64).optional(),
	address1: cleanString().min(1).max(128).optional(),
	address2: cleanString().max(128).optional(),
	zip: cleanString().min(1).max(16).optional(),
	phone: cleanString().max(32).optional()
});
export type BillingAddress = z.infer<typeof billingAddressSchema>;

export const checkoutBody = z.object({
	terminalId: id,
	merchantOrderNo: orderNo,
	amount: minor.positive(),
	tip: minor.default(0),
	currency: z.string().regex(/^[A-Z]{3}$/),
	description: cleanString().max(128).optional(),
	card: cardCiphertext,
	/** The billing address as JSON text (the form's `railInput` holds strings only). */
	billingAddress: z.string().max(2048).optional()
});

export const refundBody = z.object({
	terminalId: id,
	attemptId: id.optional(),
	orderId: id.optional(),
	approvalId: id.optional(),
	merchantOrderNo: orderNo,
	origMerchantOrderNo: orderNo,
	amount: minor.positive(),
	currency: z.string().regex(/^[A-Z]{3}$/)
});

const intLike = z.union([
	z.int(),
	z
		.string()
		.regex(/^-?\d+$/)
		.transform(Number)
]);

/** `data` of `pay.merchant.checkout` (spec: Merchant Hosted Checkout, response). */
export const merchantCheckoutDataSchema = z.object({
	trans_no: z.string().max(32).optional(),
	trans_status: intLike.optional(),
	pay_method_id: z.string().max(32).optional(),
	redirect_url_3dsecure: pageUrl.optional().or(z.literal(''))
});
