/**
 * The cloud rail's operations beyond a payment (issue 10): tip adjustment of an approved sale
 * (`tip.adjustment`, an absolute tip, so asking again after a lost answer is harmless) and the
 * batch close of a terminal (`batch.close`, on a manager's approval for that terminal, once).
 *
 * - `POST /api/rails/codepay-cloud/orders/:no/tip { tip }` → `{ outcome }` (`unknown` when the gateway's
 *   answer was lost or not believable)
 * - `POST /api/rails/codepay-cloud/batch-close { terminalId }` → `{ closed, code, message? }`
 * Without the CODEPAY_* settings: 409 `cloud_not_configured` (a 5xx is for the server's faults).
 */
import { json } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { z } from 'zod/mini';
import { toDecimalString } from '$lib/money';
import { cleanString } from '$lib/text/clean-text';
import { emptyDataSchema } from '../codepay-cloud/schemas';
import { deviceNotPaired, jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

const ORDER_NO = /^[A-Za-z0-9]{1,32}$/;
const tipBody = z.object({ tip: z.int().check(z.gte(0)).check(z.lte(Number.MAX_SAFE_INTEGER)) });
const batchBody = z.object({
	terminalId: cleanString().check(z.minLength(1)).check(z.maxLength(64))
});

function signedIn(event: ApiEvent): Response | null {
	if (!event.locals.device) return deviceNotPaired();
	if (!event.locals.staff) return jsonError(401, 'not_signed_in', 'Sign in with your PIN first.');
	return null;
}

function notConfigured(): Response {
	return jsonError(409, 'cloud_not_configured', 'CodePay cloud is not configured on the server.');
}

export async function adjustCloudTip(rt: Runtime, event: ApiEvent, no: string): Promise<Response> {
	const refused = signedIn(event);
	if (refused) return refused;
	const setup = rt.codepayCloud;
	if (!setup.configured) return notConfigured();
	const body = await parseJsonBody(event.request, tipBody);
	if (!body.ok) return body.response;
	const order = ORDER_NO.test(no) ? await setup.rail.orders.get(no) : null;
	if (!order || order.deviceId !== event.locals.device!.id) {
		return jsonError(404, 'unknown_order', 'The server has no such cloud order of this till.');
	}
	if (order.kind !== 'sale' || order.state !== 'approved') {
		return jsonError(409, 'not_adjustable', 'Only an approved sale has a tip to adjust.');
	}
	const result = await setup.rail.gateway.call(
		'tipAdjustment',
		{
			merchant_order_no: no,
			tip_adjustment_amount: Number(toDecimalString(body.data.tip, order.currency))
		},
		emptyDataSchema
	);
	if (result.kind === 'ok') {
		return json({
			outcome: { status: 'approved', tip: body.data.tip, reference: order.transNo ?? undefined }
		});
	}
	if (result.kind === 'refused') {
		return json({ outcome: { status: 'declined', code: result.code, message: result.message } });
	}
	// Not a 5xx: the till asks again (an absolute tip is safe to set twice).
	return json({
		outcome: { status: 'unknown', message: 'The gateway answer could not be trusted; ask again.' }
	});
}

export async function closeCloudBatch(rt: Runtime, event: ApiEvent): Promise<Response> {
	const refused = signedIn(event);
	if (refused) return refused;
	const setup = rt.codepayCloud;
	if (!setup.configured) return notConfigured();
	const body = await parseJsonBody(event.request, batchBody);
	if (!body.ok) return body.response;
	const terminal = rt.config.terminals.find(
		(t) => t.id === body.data.terminalId && t.rail === 'codepay-cloud'
	);
	if (!terminal) {
		return jsonError(
			404,
			'unknown_terminal',
			'The server has no CodePay cloud terminal by that id.'
		);
	}
	const approval = await rt.store.claimBatchCloseApproval({
		deviceId: event.locals.device!.id,
		terminalId: terminal.id,
		requestId: `cloud-batch-${randomUUID()}`,
		now: rt.now()
	});
	if (!approval) {
		return jsonError(403, 'approval_required', 'A batch close needs a manager approval (PIN).');
	}
	const result = await setup.rail.gateway.call(
		'batchClose',
		{
			merchant_no:
				terminal.params.merchantNo === undefined ? undefined : String(terminal.params.merchantNo),
			terminal_sn: String(terminal.params.terminalSn ?? '')
		},
		emptyDataSchema
	);
	if (result.kind === 'ok') return json({ closed: true, code: '0' });
	if (result.kind === 'refused') {
		return json({ closed: false, code: result.code, message: result.message });
	}
	return json({
		closed: false,
		code: 'unknown',
		message: 'The gateway answer could not be trusted; ask the gateway again.'
	});
}
