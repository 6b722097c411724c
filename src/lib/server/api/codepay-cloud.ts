/**
 * The till's CodePay cloud routes (issue 10). The device is the token's, the staff member the
 * session's; the terminal is the server's configured one. The server records an order before it
 * asks the gateway, and never pushes one merchant_order_no twice.
 *
 * - `POST /api/rails/codepay-cloud/orders { terminalId, attemptId, merchantOrderNo, kind, amount, tip,
 *   currency, tipOnTerminal?, origMerchantOrderNo?, approvalId?, description? }` → `{ order }`
 * - `GET /api/rails/codepay-cloud/orders/:no` → `{ order }` (what the server knows)
 * - `POST /api/rails/codepay-cloud/orders/:no/query` → `{ order }` after a signed `order.query`
 * - `POST /api/rails/codepay-cloud/orders/:no/cancel` → `{ order }` after `wisehub.cloud.pay.close`
 * - `POST /api/notify/codepay-cloud`: the gateway's notification; plain `success`
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod/mini';
import { findUncleanText } from '$lib/text/clean-text';
import { cleanString } from '$lib/text/clean-text';
import type { TerminalConfig } from '$lib/terminals/driver';
import { ACTION_OF_KIND } from '../approvals/approval-scope';
import type { CloudRail } from '../codepay-cloud/cloud-rail';
import { deviceNotPaired, jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import type { CloudOrder } from '../store/cloud-order-store';
import { isManagerRole } from '../auth/roles';

const ORDER_NO = /^[A-Za-z0-9]{1,32}$/;
const id = cleanString().check(z.minLength(1)).check(z.maxLength(64));

const pushBody = z.object({
	terminalId: id,
	/** The journal's attempt, to bind an explicit `approvalId` to (as sync checks it). */
	attemptId: z.optional(id),
	merchantOrderNo: z.string().check(z.regex(ORDER_NO)),
	kind: z.enum(['sale', 'refund', 'void', 'preauth', 'preauth_completion', 'preauth_cancel']),
	amount: z.int().check(z.positive()).check(z.lte(Number.MAX_SAFE_INTEGER)),
	tip: z._default(z.int().check(z.gte(0)).check(z.lte(Number.MAX_SAFE_INTEGER)), 0),
	currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
	tipOnTerminal: z._default(z.boolean(), false),
	origMerchantOrderNo: z.optional(z.string().check(z.regex(ORDER_NO))),
	orderId: z.optional(id),
	approvalId: z.optional(id),
	description: z.optional(cleanString().check(z.maxLength(128)))
});

/** What a till sees of an order: never the gateway's raw answers. */
export function orderView(order: CloudOrder) {
	return {
		merchantOrderNo: order.merchantOrderNo,
		terminalId: order.terminalId,
		kind: order.kind,
		state: order.state,
		reference: order.transNo ?? undefined,
		outcome: order.outcome ?? undefined,
		expiresAt: order.expiresAt,
		/** A hosted order's checkout page (issue 11). */
		payUrl: order.payUrl ?? undefined
	};
}

export type Ready =
	| { ok: true; rail: CloudRail; notifyUrl?: string; returnUrl?: string }
	| { ok: false; response: Response };

export function railOf(rt: Runtime): Ready {
	const setup = rt.codepayCloud;
	if (setup.configured) {
		return { ok: true, rail: setup.rail, notifyUrl: setup.notifyUrl, returnUrl: setup.returnUrl };
	}
	return {
		ok: false,
		response: jsonError(
			409,
			'cloud_not_configured',
			`CodePay cloud is not configured on the server (${setup.missing.join(', ')}).`
		)
	};
}

export function needsStaff(event: ApiEvent): Response | null {
	if (!event.locals.device) return deviceNotPaired();
	if (!event.locals.staff) {
		return jsonError(401, 'not_signed_in', 'Sign in with your PIN to take card payments.');
	}
	return null;
}

export async function pushCloudOrder(rt: Runtime, event: ApiEvent): Promise<Response> {
	const refused = needsStaff(event);
	if (refused) return refused;
	const device = event.locals.device!;
	const ready = railOf(rt);
	if (!ready.ok) return ready.response;
	const body = await parseJsonBody(event.request, pushBody);
	if (!body.ok) return body.response;
	const input = body.data;
	const terminal: TerminalConfig | undefined = rt.config.terminals.find(
		(t) => t.id === input.terminalId && t.rail === 'codepay-cloud'
	);
	if (!terminal) {
		return jsonError(
			404,
			'unknown_terminal',
			'The server has no CodePay cloud terminal by that id.'
		);
	}
	if (terminal.currency !== input.currency) {
		return jsonError(400, 'wrong_currency', `That terminal takes ${terminal.currency}.`);
	}
	const existing = await ready.rail.orders.get(input.merchantOrderNo);
	if (existing) {
		if (existing.deviceId !== device.id) return notYours();
		// The same order again: what the server knows of it, and nothing sent.
		return json({ order: orderView(existing), created: false });
	}
	if (input.kind !== 'sale' && input.kind !== 'preauth' && !input.origMerchantOrderNo) {
		return jsonError(400, 'bad_request', 'That operation names the original payment.');
	}
	if (ACTION_OF_KIND[input.kind]) {
		const problem = await approvalProblem(rt, device.id, input);
		if (problem) return jsonError(403, 'approval_required', problem);
	}
	const { order, created } = await ready.rail.push({
		deviceId: device.id,
		terminal,
		merchantOrderNo: input.merchantOrderNo,
		kind: input.kind,
		amount: input.amount,
		tip: input.tip,
		currency: input.currency,
		tipOnTerminal: input.tipOnTerminal,
		origMerchantOrderNo: input.origMerchantOrderNo,
		description: input.description,
		notifyUrl: ready.notifyUrl ?? `${event.url.origin}/api/notify/codepay-cloud`
	});
	return json({ order: orderView(order), created });
}

/**
 * A refund or void needs a manager's approval issued to this till for exactly this operation,
 * unused, unexpired on the server's clock. Named (`approvalId`), it is bound to the attempt;
 * otherwise the oldest fitting one is claimed for this merchant_order_no, as the LAN relay does
 * for a terminal frame (sync then finds it bound to the attempt's merchant_order_no).
 */
export async function approvalProblem(
	rt: Runtime,
	deviceId: string,
	input: Pick<
		z.infer<typeof pushBody>,
		| 'kind'
		| 'origMerchantOrderNo'
		| 'amount'
		| 'merchantOrderNo'
		| 'approvalId'
		| 'attemptId'
		| 'orderId'
	>
): Promise<string | null> {
	if (!input.origMerchantOrderNo) return 'A refund or void names the original sale.';
	const action = ACTION_OF_KIND[input.kind];
	if (!action) return 'Not an operation a manager approves.';
	if (!input.approvalId || !input.attemptId) {
		const claimed = await rt.store.claimApprovalForFrame({
			deviceId,
			action,
			origMerchantOrderNo: input.origMerchantOrderNo,
			amount: input.amount,
			merchantOrderNo: input.merchantOrderNo,
			now: rt.now()
		});
		return claimed ? null : 'A refund or void needs a manager approval for it (manager PIN).';
	}
	const record = await rt.store.getApproval(input.approvalId);
	if (!record || record.deviceId !== deviceId)
		return 'The server never issued that approval to this till.';
	if (
		record.action !== action ||
		record.origMerchantOrderNo !== input.origMerchantOrderNo ||
		record.amount !== input.amount ||
		(input.orderId !== undefined && record.orderId !== input.orderId)
	) {
		return 'That approval is for another operation.';
	}
	if (rt.now() > record.expiresAt) return 'That approval has expired: ask the manager again.';
	const manager = rt.config.staff.find((s) => s.id === record.managerId);
	if (!isManagerRole(manager?.role)) return 'That approval is not from a manager.';
	if (!(await rt.store.useApproval(record.id, input.attemptId))) {
		return 'That approval was already used.';
	}
	return null;
}

export function notYours(): Response {
	return jsonError(404, 'unknown_order', 'The server has no such cloud order of this till.');
}

export async function ownOrder(
	rt: Runtime,
	event: ApiEvent,
	merchantOrderNo: string
): Promise<{ rail: CloudRail; order: CloudOrder } | Response> {
	const refused = needsStaff(event);
	if (refused) return refused;
	const ready = railOf(rt);
	if (!ready.ok) return ready.response;
	if (!ORDER_NO.test(merchantOrderNo)) return notYours();
	const order = await ready.rail.orders.get(merchantOrderNo);
	if (!order || order.deviceId !== event.locals.device!.id) return notYours();
	return { rail: ready.rail, order };
}

export async function getCloudOrder(rt: Runtime, event: ApiEvent, no: string): Promise<Response> {
	const found = await ownOrder(rt, event, no);
	if (found instanceof Response) return found;
	return json({ order: orderView(found.order) });
}

export async function queryCloudOrder(rt: Runtime, event: ApiEvent, no: string): Promise<Response> {
	const found = await ownOrder(rt, event, no);
	if (found instanceof Response) return found;
	const order = (await found.rail.query(no)) ?? found.order;
	return json({ order: orderView(order) });
}

export async function cancelCloudOrder(
	rt: Runtime,
	event: ApiEvent,
	no: string
): Promise<Response> {
	const found = await ownOrder(rt, event, no);
	if (found instanceof Response) return found;
	const order = (await found.rail.cancel(no)) ?? found.order;
	return json({ order: orderView(order) });
}

/** The gateway's notification: verified before anything is believed; plain `success` fast. */
export async function cloudNotification(rt: Runtime, event: ApiEvent): Promise<Response> {
	const setup = rt.codepayCloud;
	const plain = (status: number, body: string) =>
		new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
	// Nobody here takes notifications: the gateway is pointed at the wrong server.
	if (!setup.configured) return plain(404, 'not configured');
	let text: string;
	try {
		text = await event.request.text();
	} catch {
		return plain(413, 'too large');
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return plain(400, 'not json');
	}
	if (findUncleanText(value)) return plain(400, 'unclean text');
	const answer = await setup.rail.notification(text);
	return plain(answer.status, answer.body);
}
