/**
 * The till's routes of the pay-by-link rail (issue 11): hosted checkout orders of the CodePay
 * cloud gateway, paid by the customer on the gateway's page (a QR code on the till, or the till's
 * own browser in kiosk mode). The device is the token's, the staff member the session's, the
 * terminal the server's configured one; the order is recorded before the gateway is asked.
 *
 * - `POST /api/rails/codepay-link/checkouts { terminalId, merchantOrderNo, amount, currency,
 *   mode: 'link' | 'kiosk', lines?, description? }` → `{ order, created }` (`order.payUrl`)
 * - `GET /api/rails/codepay-link/orders/:no` → `{ order }`
 * - `POST /api/rails/codepay-link/orders/:no/query` → `{ order }` after a signed query
 * - `POST /api/rails/codepay-link/orders/:no/cancel` → `{ order }` after `order.revoker`
 * - `POST /api/rails/codepay-link/refunds { terminalId, attemptId, merchantOrderNo,
 *   origMerchantOrderNo, amount, currency, approvalId?, orderId? }` → `{ order, created }`
 * - `GET /api/rails/codepay-link/events`: the cloud orders' event stream (`codepay-cloud-events`)
 * Notifications arrive at the cloud rail's `/api/notify/codepay-cloud`, which settles these too.
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { cleanString } from '$lib/text/clean-text';
import type { TerminalConfig } from '$lib/terminals/driver';
import { hostedCheckoutOf } from '../codepay-hosted/hosted-of';
import { openCheckout } from '../codepay-hosted/open-checkout';
import { jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import type { CloudOrder } from '../store/cloud-order-store';
import { approvalProblem, needsStaff, orderView, ownOrder, railOf } from './codepay-cloud';

export const LINK_RAIL = 'codepay-link';
const ORDER_NO = /^[A-Za-z0-9]{1,32}$/;
const id = cleanString().min(1).max(64);
const minor = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

const lineSchema = z.object({
	name: cleanString().min(1).max(128),
	code: cleanString().max(64).optional(),
	quantity: z.number().positive().max(1_000_000),
	unitPrice: minor,
	amount: minor
});

const checkoutBody = z.object({
	terminalId: id,
	attemptId: id.optional(),
	merchantOrderNo: z.string().regex(ORDER_NO),
	amount: z.int().positive().max(Number.MAX_SAFE_INTEGER),
	currency: z.string().regex(/^[A-Z]{3}$/),
	mode: z.enum(['link', 'kiosk']).default('link'),
	lines: z.array(lineSchema).max(200).default([]),
	description: cleanString().max(128).optional()
});

const refundBody = z.object({
	terminalId: id,
	attemptId: id.optional(),
	merchantOrderNo: z.string().regex(ORDER_NO),
	origMerchantOrderNo: z.string().regex(ORDER_NO),
	amount: z.int().positive().max(Number.MAX_SAFE_INTEGER),
	currency: z.string().regex(/^[A-Z]{3}$/),
	orderId: id.optional(),
	approvalId: id.optional()
});

/** What the till sees of a hosted order: the cloud view and the page to show. */
export function hostedView(order: CloudOrder) {
	return { ...orderView(order), payUrl: order.payUrl ?? undefined };
}

function linkTerminal(rt: Runtime, terminalId: string): TerminalConfig | undefined {
	return rt.config.terminals.find((t) => t.id === terminalId && t.rail === LINK_RAIL);
}

function unknownTerminal(): Response {
	return jsonError(404, 'unknown_terminal', 'The server has no pay-by-link terminal by that id.');
}

function notifyUrlOf(event: ApiEvent, configured?: string): string {
	return configured ?? `${event.url.origin}/api/notify/codepay-cloud`;
}

export async function createCheckout(rt: Runtime, event: ApiEvent): Promise<Response> {
	const refused = needsStaff(event);
	if (refused) return refused;
	const ready = railOf(rt);
	if (!ready.ok) return ready.response;
	const body = await parseJsonBody(event.request, checkoutBody);
	if (!body.ok) return body.response;
	const input = body.data;
	const terminal = linkTerminal(rt, input.terminalId);
	if (!terminal) return unknownTerminal();
	if (terminal.currency !== input.currency) {
		return jsonError(400, 'wrong_currency', `That terminal takes ${terminal.currency}.`);
	}
	const device = event.locals.device!;
	const hosted = hostedCheckoutOf(ready.rail, rt.now);
	const existing = await ready.rail.orders.get(input.merchantOrderNo);
	if (existing) {
		if (existing.deviceId !== device.id) return notYoursHosted();
		return json({ order: hostedView(existing), created: false });
	}
	const opened = await openCheckout(hosted, {
		kind: input.mode,
		deviceId: device.id,
		terminal,
		merchantOrderNo: input.merchantOrderNo,
		amount: input.amount,
		currency: input.currency,
		lines: input.lines,
		description: input.description,
		notifyUrl: notifyUrlOf(event, ready.notifyUrl),
		returnBase: `${event.url.origin}/pay/return`
	});
	if (opened.order.deviceId !== device.id) return notYoursHosted();
	return json({ order: hostedView(opened.order), created: opened.created });
}

function notYoursHosted(): Response {
	return jsonError(404, 'unknown_order', 'The server has no such hosted order of this till.');
}

export async function getHostedOrder(rt: Runtime, event: ApiEvent, no: string): Promise<Response> {
	const found = await ownOrder(rt, event, no);
	if (found instanceof Response) return found;
	return json({ order: hostedView(found.order) });
}

export async function queryHostedOrder(
	rt: Runtime,
	event: ApiEvent,
	no: string
): Promise<Response> {
	const found = await ownOrder(rt, event, no);
	if (found instanceof Response) return found;
	const order = (await found.rail.query(no)) ?? found.order;
	return json({ order: hostedView(order) });
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
	return json({ order: hostedView(order) });
}

/**
 * A refund of a paid hosted order: within what is left of it (checked before the manager's
 * approval is used, and again atomically when it is recorded), on an approval for exactly it.
 */
export async function refundHostedOrder(rt: Runtime, event: ApiEvent): Promise<Response> {
	const refused = needsStaff(event);
	if (refused) return refused;
	const ready = railOf(rt);
	if (!ready.ok) return ready.response;
	const body = await parseJsonBody(event.request, refundBody);
	if (!body.ok) return body.response;
	const input = body.data;
	if (!linkTerminal(rt, input.terminalId)) return unknownTerminal();
	const device = event.locals.device!;
	const hosted = hostedCheckoutOf(ready.rail, rt.now);
	const existing = await ready.rail.orders.get(input.merchantOrderNo);
	if (existing) {
		if (existing.deviceId !== device.id || existing.kind !== 'refund') return notYoursHosted();
		return json({ order: hostedView(existing), created: false });
	}
	const refusal = await hosted.refundProblem({ ...input, deviceId: device.id });
	if (refusal) return jsonError(refusal.status, refusal.code, refusal.message);
	const problem = await approvalProblem(rt, device.id, { ...input, kind: 'refund' });
	if (problem) return jsonError(403, 'approval_required', problem);
	const answer = await hosted.refund({
		deviceId: device.id,
		merchantOrderNo: input.merchantOrderNo,
		origMerchantOrderNo: input.origMerchantOrderNo,
		amount: input.amount,
		currency: input.currency,
		notifyUrl: notifyUrlOf(event, ready.notifyUrl)
	});
	if (!answer.ok) return jsonError(answer.status, answer.code, answer.message);
	return json({ order: hostedView(answer.order), created: answer.created });
}
