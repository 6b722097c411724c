import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { deviceNotPaired, jsonError, parseJsonBody, parseValue, type ApiEvent } from '../http';
import { IotPayNotConfiguredError } from '../iotpay/sales';
import type { Runtime } from '../runtime';
import type { IotPaySale } from '../store/iotpay-store';

/** IOT Pay's `mchOrderNo` is at most 30 characters (the vendor page's table). */
const merchantOrderNo = z.string().regex(/^[A-Za-z0-9_-]{1,30}$/, 'at most 30 letters or digits');

const startBody = z.object({
	terminalId: z.string().min(1).max(64),
	merchantOrderNo,
	attemptId: z.string().min(1).max(64).optional(),
	amount: z.int().min(1).max(99_999_999),
	tip: z.int().min(0).max(99_999_999).default(0),
	currency: z.string().regex(/^[A-Z]{3}$/),
	description: z.string().max(255).optional()
});

const waitQuery = z.object({
	/** Seconds to wait for the result (a long poll); 0 answers at once. */
	wait: z.coerce.number().int().min(0).max(30).default(0),
	terminal: z.string().min(1).max(64).optional()
});

/** How long a POST waits for the card before answering `sent` (the till asks again then). */
const START_WAIT_MS = 25_000;

/** What the till sees of a sale. */
function view(sale: IotPaySale) {
	return {
		merchantOrderNo: sale.merchantOrderNo,
		state: sale.state,
		outcome: sale.outcome ?? undefined,
		message: sale.message ?? undefined,
		keyFault: sale.keyFault || undefined
	};
}

function guard(rt: Runtime, event: ApiEvent) {
	const device = event.locals.device;
	if (!device) return { response: deviceNotPaired() };
	if (!event.locals.staff) {
		return { response: jsonError(401, 'staff_session_required', 'Sign in to take payments.') };
	}
	if (!rt.iotpay) {
		return { response: jsonError(503, 'iotpay_not_configured', 'IOT Pay is not set up.') };
	}
	return { device, iotpay: rt.iotpay };
}

function notConfigured(error: unknown): Response {
	if (error instanceof IotPayNotConfiguredError) {
		return jsonError(503, 'iotpay_not_configured', error.message);
	}
	throw error;
}

/**
 * `POST /api/rails/iotpay-pax/sales { terminalId, merchantOrderNo, attemptId?, amount, tip, currency,
 * description? }` → `{ merchantOrderNo, state, outcome?, message? }` after up to 25 s. Starts the
 * `create_order` of an attempt the till has journaled; the same order number again is answered
 * as it stands, never sent twice. `state`: `sent` (ask again), `unknown` (the server is asking
 * IOT Pay), `approved`, `cancelled`, `refused` (nothing charged).
 */
export async function startIotPaySale(rt: Runtime, event: ApiEvent): Promise<Response> {
	const ok = guard(rt, event);
	if ('response' in ok) return ok.response as Response;
	const body = await parseJsonBody(event.request, startBody);
	if (!body.ok) return body.response;
	const input = body.data;
	const terminal = rt.config.terminals.find(
		(t) => t.id === input.terminalId && t.rail === 'iotpay-pax'
	);
	if (!terminal) {
		return jsonError(404, 'unknown_terminal', 'The POS server has no such IOT Pay terminal.');
	}
	if (terminal.currency !== input.currency) {
		return jsonError(
			400,
			'currency_mismatch',
			`${terminal.name} takes ${terminal.currency}, not ${input.currency}.`
		);
	}
	try {
		const { created, sale } = await ok.iotpay.start({
			merchantOrderNo: input.merchantOrderNo,
			deviceId: ok.device.id,
			attemptId: input.attemptId ?? null,
			terminal,
			amount: input.amount,
			tip: input.tip,
			currency: input.currency,
			description: input.description || rt.config.storeName
		});
		const sameSale = sale.amount === input.amount && sale.tip === input.tip;
		if (sale.deviceId !== ok.device.id || (!created && !sameSale && sale.state !== 'refused')) {
			return jsonError(
				409,
				'order_number_taken',
				'This order number belongs to another payment: nothing was sent for this one.'
			);
		}
		const settled = await ok.iotpay.wait(sale.merchantOrderNo, START_WAIT_MS);
		return json(view(settled ?? sale));
	} catch (error) {
		return notConfigured(error);
	}
}

/**
 * `GET /api/rails/iotpay-pax/sales/<merchantOrderNo>?wait=<s>&terminal=<id>` → the sale as above, after up
 * to `wait` seconds. An order number the server never started is closed as `refused` (nothing
 * charged), so that a start arriving later cannot send it.
 */
export async function iotPaySaleStatus(rt: Runtime, event: ApiEvent, no: string) {
	const ok = guard(rt, event);
	if ('response' in ok) return ok.response as Response;
	const number = parseValue(no, merchantOrderNo);
	if (!number.ok) return number.response;
	const query = parseValue(Object.fromEntries(event.url.searchParams), waitQuery);
	if (!query.ok) return query.response;
	try {
		const existing = await rt.store.getIotPaySale(number.data);
		if (existing && existing.deviceId !== ok.device.id) {
			return jsonError(404, 'not_found', 'This till has no such IOT Pay payment.');
		}
		if (existing && query.data.wait > 0) await ok.iotpay.wait(number.data, query.data.wait * 1000);
		const sale = await ok.iotpay.lookUp(number.data, {
			deviceId: ok.device.id,
			terminalId: query.data.terminal ?? ''
		});
		return json(view(sale));
	} catch (error) {
		return notConfigured(error);
	}
}
