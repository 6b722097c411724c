/**
 * `GET /api/payment-returns/:ref`: what a hosted payment's return page shows (issue 11). Anyone
 * may ask (the page opens on the customer's phone too); the reference is the only key, and the
 * answer is that order's own status and amount, nothing more. The redirect's other query
 * parameters never reach here: the status is the server's, from a verified notification or a
 * signed `order.query`. A lookup changes nothing but what a signed query settles; `yours` tells a
 * paired till that the order is its own (so that it reconciles its journal).
 */
import { json } from '@sveltejs/kit';
import { hostedCheckoutOf } from '../codepay-hosted/hosted-of';
import { jsonError, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

export async function paymentReturn(rt: Runtime, event: ApiEvent, ref: string): Promise<Response> {
	const setup = rt.codepayCloud;
	const unknown = () =>
		jsonError(404, 'unknown_reference', 'This payment page does not know that payment.');
	if (!setup.configured) return unknown();
	const found = await hostedCheckoutOf(setup.rail, rt.now).lookupReturn(ref);
	if (!found) return unknown();
	const yours = event.locals.device?.id === found.order.deviceId;
	return json(
		{
			status: found.status,
			amount: found.amount,
			currency: found.currency,
			expiresAt: found.expiresAt,
			yours,
			merchantOrderNo: yours ? found.order.merchantOrderNo : undefined
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
}
