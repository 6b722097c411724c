/**
 * The till's card-entry routes (issue 11, merchant-hosted checkout). The device is the token's,
 * the staff member the session's, the terminal the server's configured one. The card arrives only
 * as the browser's ciphertext and goes on to the gateway as it is: it is never logged or stored.
 *
 * - `GET  /api/rails/codepay-card/key` → `{ spki }`: the gateway public key (not secret)
 * - `POST /api/rails/codepay-card/checkouts { terminalId, merchantOrderNo, amount, tip, currency,
 *   description?, card, billingAddress? }` → `{ order }` (with `threeDsUrl` when 3-D Secure waits)
 * - `GET  /api/rails/codepay-card/checkouts/:no` → `{ order }`, after a signed query while open
 * - `POST /api/rails/codepay-card/refunds { terminalId, merchantOrderNo, origMerchantOrderNo,
 *   amount, currency, attemptId?, approvalId?, orderId? }` → `{ order }`
 * The `return_url` after 3-D Secure is the static `/card-return.html`: it says nothing of any
 * order, and the till asks the server.
 */
import { json } from '@sveltejs/kit';
import type { TerminalConfig } from '$lib/terminals/driver';
import { isOpen } from '../codepay-cloud/order-state';
import type { CloudRail } from '../codepay-cloud/cloud-rail';
import { deviceNotPaired, jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import type { CloudOrder } from '../store/cloud-order-store';
import { merchantCheckout, threeDsUrlOf } from '../codepay-hosted/merchant-checkout';
import { queryRefund, refundCheckout } from '../codepay-hosted/merchant-checkout-refund';
import {
	billingAddressSchema,
	checkoutBody,
	refundBody
} from '../codepay-hosted/merchant-checkout-schemas';
import { approvalProblem } from './codepay-cloud';

const RAIL = 'codepay-card';

/** What a till sees of a card-entry order: never the gateway's raw answers. */
export function checkoutView(order: CloudOrder) {
	const final = !isOpen(order.state);
	return {
		merchantOrderNo: order.merchantOrderNo,
		state: order.state,
		reference: order.transNo ?? undefined,
		outcome: final ? (order.outcome ?? undefined) : undefined,
		threeDsUrl: threeDsUrlOf(order)
	};
}

function ready(rt: Runtime, event: ApiEvent): CloudRail | Response {
	if (!event.locals.device) return deviceNotPaired();
	if (!event.locals.staff) {
		return jsonError(401, 'not_signed_in', 'Sign in with your PIN to take card payments.');
	}
	const setup = rt.codepayCloud;
	if (setup.configured) return setup.rail;
	return jsonError(
		409,
		'cloud_not_configured',
		`CodePay is not configured on the server (${setup.missing.join(', ')}).`
	);
}

function terminalOf(rt: Runtime, id: string): TerminalConfig | undefined {
	return rt.config.terminals.find((t) => t.id === id && t.rail === RAIL);
}

const unknownTerminal = () =>
	jsonError(404, 'unknown_terminal', 'The server has no card-entry terminal by that id.');
const notYours = () =>
	jsonError(404, 'unknown_order', 'The server has no such card payment of this till.');

function notifyUrl(rt: Runtime, event: ApiEvent): string {
	const setup = rt.codepayCloud;
	return (setup.configured && setup.notifyUrl) || `${event.url.origin}/api/notify/codepay-cloud`;
}

export async function gatewayKey(rt: Runtime, event: ApiEvent): Promise<Response> {
	const rail = ready(rt, event);
	if (rail instanceof Response) return rail;
	const der = rail.gatewayPublicKey.export({ type: 'spki', format: 'der' });
	return json({ spki: der.toString('base64') });
}

export async function startCheckout(rt: Runtime, event: ApiEvent): Promise<Response> {
	const rail = ready(rt, event);
	if (rail instanceof Response) return rail;
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
	const existing = await rail.orders.get(input.merchantOrderNo);
	if (existing && existing.deviceId !== event.locals.device!.id) return notYours();
	const result = await merchantCheckout(
		rail,
		{
			deviceId: event.locals.device!.id,
			terminal,
			merchantOrderNo: input.merchantOrderNo,
			amount: input.amount,
			tip: input.tip,
			currency: input.currency,
			description: input.description,
			card: input.card,
			billingAddress: address.data,
			notifyUrl: notifyUrl(rt, event),
			returnUrl: `${event.url.origin}/card-return.html`
		},
		rt.now
	);
	return json({ order: checkoutView(result.order), created: result.created });
}

async function own(rt: Runtime, event: ApiEvent, no: string) {
	const rail = ready(rt, event);
	if (rail instanceof Response) return rail;
	if (!/^[A-Za-z0-9]{1,32}$/.test(no)) return notYours();
	const order = await rail.orders.get(no);
	if (!order || order.deviceId !== event.locals.device!.id) return notYours();
	if (!terminalOf(rt, order.terminalId)) return notYours();
	return { rail, order };
}

export async function checkoutStatus(rt: Runtime, event: ApiEvent, no: string): Promise<Response> {
	const found = await own(rt, event, no);
	if (found instanceof Response) return found;
	const { rail, order } = found;
	if (!isOpen(order.state)) return json({ order: checkoutView(order) });
	const asked =
		order.kind === 'refund'
			? await queryRefund(rail, order, rt.now)
			: ((await rail.query(no)) ?? order);
	return json({ order: checkoutView(asked) });
}

export async function startRefund(rt: Runtime, event: ApiEvent): Promise<Response> {
	const rail = ready(rt, event);
	if (rail instanceof Response) return rail;
	const body = await parseJsonBody(event.request, refundBody);
	if (!body.ok) return body.response;
	const input = body.data;
	const deviceId = event.locals.device!.id;
	if (!terminalOf(rt, input.terminalId)) return unknownTerminal();
	const orig = await rail.orders.get(input.origMerchantOrderNo);
	if (!orig || orig.deviceId !== deviceId || orig.kind !== 'sale') return notYours();
	if (orig.currency !== input.currency) {
		return jsonError(400, 'wrong_currency', `That payment was in ${orig.currency}.`);
	}
	const existing = await rail.orders.get(input.merchantOrderNo);
	if (existing) {
		if (existing.deviceId !== deviceId) return notYours();
	} else {
		const problem = await approvalProblem(rt, deviceId, { ...input, kind: 'refund' });
		if (problem) return jsonError(403, 'approval_required', problem);
	}
	const { order, created } = await refundCheckout(
		rail,
		{
			deviceId,
			terminalId: input.terminalId,
			merchantOrderNo: input.merchantOrderNo,
			origMerchantOrderNo: input.origMerchantOrderNo,
			amount: input.amount,
			currency: input.currency,
			notifyUrl: notifyUrl(rt, event)
		},
		rt.now
	);
	return json({ order: checkoutView(order), created });
}
