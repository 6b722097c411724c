/** zod schemas of the hosted checkout answers' `data`, after the signature has been checked. */
import { z } from 'zod';
import { decimalText } from '../codepay-cloud/schemas';

/** An absolute http(s) URL the customer can be sent to. */
export const pageUrl = z
	.string()
	.max(2048)
	.refine((text) => {
		try {
			const url = new URL(text);
			return url.protocol === 'https:' || url.protocol === 'http:';
		} catch {
			return false;
		}
	}, 'not an http(s) URL');

/** `pay.checkout` / `pay.paycloud.checkout`: the checkout page. */
export const checkoutDataSchema = z.object({ pay_url: pageUrl });

/** `order.refund.submit` (spec "Submit Order Refund"). */
export const refundSubmitSchema = z.object({
	trans_no: z.string().max(64).optional(),
	trans_amount: decimalText.optional()
});
