/**
 * The till's card-entry routes (issue 11, merchant-hosted checkout). The device is the token's,
 * the staff member the session's, the terminal the server's configured one. The card arrives only
 * as the browser's ciphertext and goes on to the gateway as it is: it is never logged or stored.
 *
 * - `GET  /api/rails/codepay-card/key` → `{ spki }`: the gateway public key (not secret)
 * - `POST /api/rails/codepay-card/checkouts { terminalId, merchantOrderNo, amount, tip, currency,
 *   description?, card, billingAddress? }` → `{ order }` (with `payUrl` while 3-D Secure waits)
 * - `GET  /api/rails/codepay-card/checkouts/:no` → `{ order }`, after a signed query while open
 * - `POST /api/rails/codepay-card/checkouts/:no/cancel` → `{ order }` after `order.revoker`
 * - `POST /api/rails/codepay-card/refunds { terminalId, merchantOrderNo, origMerchantOrderNo,
 *   amount, currency, attemptId?, approvalId?, orderId? }` → `{ order }`
 * The `return_url` after 3-D Secure is the static `/card-return.html`: it says nothing of any
 * order, and the till asks the server.
 */
import { json } from '@sveltejs/kit';
import type { TerminalConfig } from '$lib/terminals/driver';
import { isOpen } from '../codepay-cloud/order-state';
import type { CloudRail } from '../codepay-cloud/cloud-rail';
import { hostedCheckoutOf } from '../codepay-hosted/hosted-of';
import { merchantCheckout, threeDsUrlOf } from '../codepay-hosted/merchant-checkout';
import {
	billingAddressSchema,
	checkoutBody,
	refundBody
} from '../codepay-hosted/merchant-checkout-schemas';
import { jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import type { CloudOrder } from '../store/cloud-order-store';
import { approvalProblem, needsStaff, railOf } from './codepay-cloud';

const RAIL = 'codepay-card';

/** What a till sees of a card-entry order: never the gateway's raw answers. */
export function checkoutView(order: CloudOrder) {
	return {
		merchantOrderNo: order.merchantOrderNo,
		state: order.state,
		reference: order.transNo ?? undefined,
		outcome: isOpen(order.state) ? undefined : (order.outcome ?? undefined),
		/** The 3-D Secure page the payment waits on (the cloud view's name for a hosted page). */
		payUrl: threeDsUrlOf(order)
	};
}

function ready(rt: Runtime, event: ApiEvent): { rail: CloudRail; notifyUrl: string } | Response {
	const refused = needsStaff(event);
	if (refused) return refused;
	const setup = railOf(rt);
	if (!setup.ok) return setup.response;
	return {
		rail: setup.rail,
		notifyUrl: setup.notifyUrl ?? `${event.url.origin}/api/notify/codepay-cloud`
	};
}

function terminalOf(rt: Runtime, id: string): TerminalConfig | undefined {
	return rt.config.terminals.find((t) => t.id === id && t.rail === RAIL);
}

const unknownTerminal = () =>
	jsonError(404, 'unknown_terminal', 'The server has no card-entry terminal by that id.');
const notYours = () =>
	jsonError(404, 'unknown_order', 'The server has no such card payment of this till.');

export async function gatewayKey(rt: Runtime, event: ApiEvent): Promise<Response> {
	const setup = ready(rt, event);
	if (setup instanceof Response) return setup;
	const der = setup.rail.gatewayPublicKey.export({ type: 'spki', format: 'der' });
	return json({ spki: der.toString('base64') });
}

export async function startCheckout(rt: Runtime, event: ApiEvent): Promise<Response> {
	const setup = ready(rt, event);
	if (setup instanceof Response) return setup;
	const body = await parseJsonBody(event.request, checkoutBody);
	if (!body.ok) return body.response;
	const input = body.data;
	const terminal = terminalOf(rt, input.terminalId);
	if (!terminal) return unknownTerminal();
	if (terminal.currency !== input.currency) {
		return jsonError(400, 'wrong_currency', `That terminal takes ${terminal.currency}.`);
	}
	let billing: unknown;
	try {
		billing = input.billingAddress === undefined ? undefined : JSON.parse(input.billingAddress);
	} catch {
		return jsonError(400, 'bad_request', 'The billing address is not JSON.');
	}
	const address = billingAddressSchema.safeParse(billing);
	if (!address.success) {
		return jsonError(400, 'bad_request', 'The billing address is incomplete.');
	}
	const deviceId = event.locals.device!.id;
	const existing = await setup.rail.orders.get(input.merchantOrderNo);
	if (existing) {
		if (existing.deviceId !== deviceId || existing.hosted !== 'card') return notYours();
		// The same payment again: what the server knows of it, and nothing sent.
		return json({ order: checkoutView(existing), created: false });
	}
	const result = await merchantCheckout(hostedCheckoutOf(setup.rail, rt.now), {
		deviceId,
		terminal,
		merchantOrderNo: input.merchantOrderNo,
		amount: input.amount,
		tip: input.tip,
		currency: input.currency,
		description: input.description,
		card: input.card,
		billingAddress: address.data,
		notifyUrl: setup.notifyUrl,
		returnUrl: `${event.url.origin}/card-return.html`
	});
	if (result.order.deviceId !== deviceId) return notYours();
	return json({ order: checkoutView(result.order), created: result.created });
}

/** What the server knows of a card payment or refund of this till, after a signed query while open. */
export async function checkoutStatus(rt: Runtime, event: ApiEvent, no: string): Promise<Response> {
	const setup = ready(rt, event);
	if (setup instanceof Response) return setup;
	if (!/^[A-Za-z0-9]{1,32}$/.test(no)) return notYours();
	const order = await setup.rail.orders.get(no);
	if (!order || order.deviceId !== event.locals.device!.id || order.hosted !== 'card') {
		return notYours();
	}
	if (!isOpen(order.state)) return json({ order: checkoutView(order) });
	return json({ order: checkoutView((await setup.rail.query(no)) ?? order) });
}

/**
 * Cancels a card payment still waiting on 3-D Secure (`order.revoker`, after a signed query: a
 * payment that went through first stays a payment).
 */
export async function cancelCheckout(rt: Runtime, event: ApiEvent, no: string): Promise<Response> {
	const setup = ready(rt, event);
	if (setup instanceof Response) return setup;
	if (!/^[A-Za-z0-9]{1,32}$/.test(no)) return notYours();
	const order = await setup.rail.orders.get(no);
	if (!order || order.deviceId !== event.locals.device!.id || order.hosted !== 'card') {
		return notYours();
	}
	const after = (await hostedCheckoutOf(setup.rail, rt.now).cancel(no)) ?? order;
	return json({ order: checkoutView(after) });
}

/**
 * A refund of a paid card payment: within what is left of it (checked before the manager's
 * approval is used, and again atomically when it is recorded), on an approval for exactly it.
 */
export async function startRefund(rt: Runtime, event: ApiEvent): Promise<Response> {
	const setup = ready(rt, event);
	if (setup instanceof Response) return setup;
	const body = await parseJsonBody(event.request, refundBody);
	if (!body.ok) return body.response;
	const input = body.data;
	if (!terminalOf(rt, input.terminalId)) return unknownTerminal();
	const deviceId = event.locals.device!.id;
	const hosted = hostedCheckoutOf(setup.rail, rt.now);
	const existing = await setup.rail.orders.get(input.merchantOrderNo);
	if (existing) {
		if (existing.deviceId !== deviceId || existing.kind !== 'refund') return notYours();
		return json({ order: checkoutView(existing), created: false });
	}
	const orig = await setup.rail.orders.get(input.origMerchantOrderNo);
	if (orig?.hosted !== 'card') return notYours();
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
		notifyUrl: setup.notifyUrl
	});
	if (!answer.ok) return jsonError(answer.status, answer.code, answer.message);
	return json({ order: checkoutView(answer.order), created: answer.created });
}
