/**
 * The till's routes of the pay-by-link rail (issue 11): hosted checkout orders of the CodePay
 * cloud gateway, paid by the customer on the gateway's page (a QR code on the till, or the till's
 * own browser in kiosk mode). The device is the token's, the staff member the session's, the
 * terminal the server's configured one; the order is recorded before the gateway is asked.
 *
 * - `POST /api/rails/codepay-link/checkouts { terminalId, merchantOrderNo, amount, currency,
 *   mode: 'link' | 'kiosk', lines?, description? }` → `{ order, created }` (`order.payUrl`)
 * - `GET /api/rails/codepay-link/orders/:no`, `POST …/orders/:no/query`: the cloud rail's own
 *   handlers (`codepay-cloud.ts`), which show a hosted order's `payUrl` too
 * - `POST /api/rails/codepay-link/orders/:no/cancel` → `{ order }` after `order.revoker`
 * - `POST /api/rails/codepay-link/refunds { terminalId, attemptId, merchantOrderNo,
 *   origMerchantOrderNo, amount, currency, approvalId?, orderId? }` → `{ order, created }`
 * - `GET /api/rails/codepay-link/events`: the cloud orders' event stream (`codepay-cloud-events`)
 * Notifications arrive at the cloud rail's `/api/notify/codepay-cloud`, which settles these too.
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod/mini';
import { cleanString } from '$lib/text/clean-text';
import type { TerminalConfig } from '$lib/terminals/driver';
import { hostedCheckoutOf } from '../codepay-hosted/hosted-of';
import { openCheckout } from '../codepay-hosted/open-checkout';
import { jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import type { CloudOrder } from '../store/cloud-order-store';
import {
	approvalProblem,
	needsStaff,
	orderView,
	ownOrder,
	railOf,
	type Ready
} from './codepay-cloud';

export const LINK_RAIL = 'codepay-link';
const ORDER_NO = /^[A-Za-z0-9]{1,32}$/;
const id = cleanString().check(z.minLength(1)).check(z.maxLength(64));
const minor = z.int().check(z.gte(0)).check(z.lte(Number.MAX_SAFE_INTEGER));

const lineSchema = z.object({
	name: cleanString().check(z.minLength(1)).check(z.maxLength(128)),
	code: z.optional(cleanString().check(z.maxLength(64))),
	quantity: z.number().check(z.positive()).check(z.lte(1_000_000)),
	unitPrice: minor,
	amount: minor
});

const checkoutBody = z.object({
	terminalId: id,
	attemptId: z.optional(id),
	merchantOrderNo: z.string().check(z.regex(ORDER_NO)),
	amount: z.int().check(z.positive()).check(z.lte(Number.MAX_SAFE_INTEGER)),
	currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
	mode: z._default(z.enum(['link', 'kiosk']), 'link'),
	lines: z._default(z.array(lineSchema).check(z.maxLength(200)), []),
	description: z.optional(cleanString().check(z.maxLength(128)))
});

const refundBody = z.object({
	terminalId: id,
	attemptId: z.optional(id),
	merchantOrderNo: z.string().check(z.regex(ORDER_NO)),
	origMerchantOrderNo: z.string().check(z.regex(ORDER_NO)),
	amount: z.int().check(z.positive()).check(z.lte(Number.MAX_SAFE_INTEGER)),
	currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
	orderId: z.optional(id),
	approvalId: z.optional(id)
});

function notifyUrlOf(event: ApiEvent, configured?: string): string {
	return configured ?? `${event.url.origin}/api/notify/codepay-cloud`;
}

/**
 * What both calls that create a hosted order check first: staff signed in, the rail configured,
 * the body, this server's pay-by-link terminal in that currency; and the same number again is
 * answered with what the server knows of it (this till's only), sending nothing.
 */
async function admit<T extends { terminalId: string; merchantOrderNo: string; currency: string }>(
	rt: Runtime,
	event: ApiEvent,
	schema: z.ZodMiniType<T>,
	sameKind: (order: CloudOrder) => boolean
): Promise<
	| { response: Response }
	| { input: T; terminal: TerminalConfig; ready: Extract<Ready, { ok: true }>; deviceId: string }
> {
	const refused = needsStaff(event);
	if (refused) return { response: refused };
	const ready = railOf(rt);
	if (!ready.ok) return { response: ready.response };
	const body = await parseJsonBody(event.request, schema);
	if (!body.ok) return { response: body.response };
	const input = body.data;
	const terminal = rt.config.terminals.find(
		(t) => t.id === input.terminalId && t.rail === LINK_RAIL
	);
	if (!terminal) {
		return {
			response: jsonError(
				404,
				'unknown_terminal',
				'The server has no pay-by-link terminal by that id.'
			)
		};
	}
	if (terminal.currency !== input.currency) {
		return {
			response: jsonError(400, 'wrong_currency', `That terminal takes ${terminal.currency}.`)
		};
	}
	const deviceId = event.locals.device!.id;
	const existing = await ready.rail.orders.get(input.merchantOrderNo);
	if (existing) {
		if (existing.deviceId !== deviceId || !sameKind(existing))
			return { response: notYoursHosted() };
		return { response: json({ order: orderView(existing), created: false }) };
	}
	return { input, terminal, ready, deviceId };
}

export async function createCheckout(rt: Runtime, event: ApiEvent): Promise<Response> {
	const admitted = await admit(rt, event, checkoutBody, (o) => o.kind === 'sale');
	if ('response' in admitted) return admitted.response;
	const { input, terminal, ready, deviceId } = admitted;
	const opened = await openCheckout(hostedCheckoutOf(ready.rail, rt.now), {
		kind: input.mode,
		deviceId,
		terminal,
		merchantOrderNo: input.merchantOrderNo,
		amount: input.amount,
		currency: input.currency,
		lines: input.lines,
		description: input.description,
		notifyUrl: notifyUrlOf(event, ready.notifyUrl),
		returnBase: ready.returnUrl ?? `${tillOrigin(event)}/pay-return`
	});
	// Another till's order of that number, recorded meanwhile.
	if (opened.order.deviceId !== deviceId) return notYoursHosted();
	return json({ order: orderView(opened.order), created: opened.created });
}

/**
 * The origin the till's browser is on: its request's `Origin` (a till is an authenticated caller,
 * and its return page must be where it runs), else the server's view of the request (adapter-node
 * assumes https without `ORIGIN`). `CODEPAY_RETURN_URL` overrides both.
 */
function tillOrigin(event: ApiEvent): string {
	const given = event.request.headers.get('origin');
	if (given) {
		try {
			const url = new URL(given);
			if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === given) {
				return url.origin;
			}
		} catch {
			// not an origin: fall back
		}
	}
	return event.url.origin;
}

function notYoursHosted(): Response {
	return jsonError(404, 'unknown_order', 'The server has no such hosted order of this till.');
}

export async function cancelHostedOrder(
	rt: Runtime,
	event: ApiEvent,
	no: string
): Promise<Response> {
	const found = await ownOrder(rt, event, no);
	if (found instanceof Response) return found;
	if (!found.order.hosted) return notYoursHosted();
	const order = (await hostedCheckoutOf(found.rail, rt.now).cancel(no)) ?? found.order;
	return json({ order: orderView(order) });
}

/**
 * A refund of a paid hosted order: within what is left of it (checked before the manager's
 * approval is used, and again atomically when it is recorded), on an approval for exactly it.
 */
export async function refundHostedOrder(rt: Runtime, event: ApiEvent): Promise<Response> {
	const admitted = await admit(rt, event, refundBody, (o) => o.kind === 'refund');
	if ('response' in admitted) return admitted.response;
	const { input, ready, deviceId } = admitted;
	const hosted = hostedCheckoutOf(ready.rail, rt.now);
	const refusal = await hosted.refundProblem({ ...input, deviceId });
	if (refusal) return jsonError(refusal.status, refusal.code, refusal.message);
	const problem = await approvalProblem(rt, deviceId, { ...input, kind: 'refund' });
	if (problem) return jsonError(403, 'approval_required', problem);
	const answer = await hosted.refund({
		deviceId,
		merchantOrderNo: input.merchantOrderNo,
		origMerchantOrderNo: input.origMerchantOrderNo,
		amount: input.amount,
		currency: input.currency,
		notifyUrl: notifyUrlOf(event, ready.notifyUrl)
	});
	if (!answer.ok) return jsonError(answer.status, answer.code, answer.message);
	return json({ order: orderView(answer.order), created: answer.created });
}
