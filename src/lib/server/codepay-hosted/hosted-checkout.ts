/**
 * The server's hosted checkout (issue 11): orders the customer pays on the gateway's own page.
 * They are cloud orders (the same table, notification route, signed `order.query` and lease
 * poller as the terminal pushes of `codepay-cloud/`), marked `hosted` with their kind. What is
 * theirs is here: opening one (`open`, written before the gateway is asked; `pay.checkout` and,
 * through the same `open`, `pay.merchant.checkout`), cancelling by `order.revoker`, refunds by
 * `order.refund.submit` within what is left, and the return page's lookup by opaque reference.
 */
import type { z } from 'zod';
import type { CloudRail } from '../codepay-cloud/cloud-rail';
import type { GatewayResult } from '../codepay-cloud/gateway-client';
import type { MethodKey } from '../codepay-cloud/methods';
import { isOpen, mayMove, type CloudOrderState } from '../codepay-cloud/order-state';
import { toDecimalString } from '$lib/money';
import { stateOfAnswer } from '../codepay-cloud/answer-state';
import { emptyDataSchema } from '../codepay-cloud/schemas';
import type { CloudOrder } from '../store/cloud-order-store';
import type { HostedKind } from './hosted-kind';
import { hashReturnRef, isReturnRef } from './return-ref';
import { returnStatusOf, type ReturnStatus } from './return-status';
import { refundSubmitSchema } from './schemas';

/** How soon after its validity a hosted order is asked about first (the customer is at it). */
const FIRST_POLL_MS = 5_000;
/** A return page may make the server ask the gateway this often per order, at most. */
const RETURN_QUERY_GAP_MS = 2_000;

export interface OpenInput<T> {
	kind: HostedKind;
	deviceId: string;
	terminalId: string;
	merchantOrderNo: string;
	amount: number;
	currency: string;
	expiresS: number;
	/** SHA-256 of the reference its return_url carries, when it has one. */
	returnRef?: string;
	method: MethodKey;
	/** The call's fields beyond the common ones (merchant_order_no among them). */
	fields: Record<string, unknown>;
	schema: z.core.$ZodType<T>;
	/** The page the customer is sent to, from the gateway's data (`pay_url`, a 3-D Secure URL). */
	pageOf: (data: T) => string | undefined;
	/**
	 * The answer may rightly come without a page (`pay.merchant.checkout` without 3-D Secure: the
	 * card was charged, or not, at once); otherwise an answer without one fails the order.
	 */
	pageOptional?: boolean;
}

export type Opened<T> =
	| { created: false; order: CloudOrder }
	| { created: true; order: CloudOrder; result: GatewayResult<T> };

export interface RefundInput {
	deviceId: string;
	merchantOrderNo: string;
	origMerchantOrderNo: string;
	amount: number;
	currency: string;
	notifyUrl: string;
	description?: string;
}

export type RefundAnswer =
	| { ok: true; order: CloudOrder; created: boolean }
	| { ok: false; status: 404 | 409; code: string; message: string };

export interface ReturnLookup {
	status: ReturnStatus;
	amount: number;
	currency: string;
	expiresAt: number;
	order: CloudOrder;
}

/** What is left to refund of a paid hosted order, given its refunds (failed ones do not count). */
export function refundableLeft(paid: CloudOrder, refunds: readonly CloudOrder[]): number {
	const amount = typeof paid.outcome?.amount === 'number' ? paid.outcome.amount : paid.amount;
	const taken = refunds
		.filter((r) => r.state !== 'declined' && r.state !== 'cancelled' && r.state !== 'failed')
		.reduce((sum, r) => sum + r.amount, 0);
	return Math.max(0, amount - taken);
}

export class HostedCheckout {
	readonly #rail: CloudRail;
	readonly #now: () => number;
	readonly #log: (line: string) => void;
	readonly #lastReturnQuery = new Map<string, number>();

	constructor(deps: { rail: CloudRail; now: () => number; log?: (line: string) => void }) {
		this.#rail = deps.rail;
		this.#now = deps.now;
		this.#log = deps.log ?? ((line) => console.log(`[codepay-hosted] ${line}`));
	}

	get rail(): CloudRail {
		return this.#rail;
	}

	/**
	 * Records the hosted order, then asks the gateway once. The same merchant_order_no again finds
	 * the record and sends nothing. A signed answer with a page moves it to `sent` (the page kept
	 * with it); a refusal or a gateway that cannot be reached to `failed` (nothing can be paid);
	 * anything else to `unknown`, settled by the poller's signed `order.query`.
	 */
	async open<T>(input: OpenInput<T>): Promise<Opened<T>> {
		const orders = this.#rail.orders;
		const now = this.#now();
		const created = await orders.create({
			merchantOrderNo: input.merchantOrderNo,
			deviceId: input.deviceId,
			terminalId: input.terminalId,
			kind: 'sale',
			amount: input.amount,
			tip: 0,
			currency: input.currency,
			origMerchantOrderNo: null,
			expiresAt: now + input.expiresS * 1000,
			nextPollAt: now + FIRST_POLL_MS,
			createdAt: now,
			hosted: input.kind,
			returnRef: input.returnRef ?? null
		});
		if (!created) return { created: false, order: await this.#mustGet(input.merchantOrderNo) };
		const result = await this.#rail.gateway.call(input.method, input.fields, input.schema);
		const page = result.kind === 'ok' ? input.pageOf(result.data) : undefined;
		if (page) await orders.setPayUrl(input.merchantOrderNo, page, this.#now());
		// A signed answer without a page the customer could open: nothing can be paid on it.
		const next =
			result.kind === 'ok' && !page && !input.pageOptional
				? {
						state: 'failed' as const,
						outcome: { status: 'declined', message: 'The gateway gave no checkout page.' }
					}
				: stateOfAnswer(result);
		await orders.move(
			input.merchantOrderNo,
			(o) => mayMove(o.state, next.state),
			next,
			this.#now()
		);
		return { created: true, order: await this.#mustGet(input.merchantOrderNo), result };
	}

	/**
	 * Cancels a hosted order the customer has not paid: a signed query first, since `order.revoker`
	 * refunds a payment that went through (spec "Cancel Order"); then the revoke, and what a signed
	 * query says afterwards (a payment that beat the revoke stays a payment).
	 */
	async cancel(merchantOrderNo: string): Promise<CloudOrder | null> {
		const before = await this.#rail.query(merchantOrderNo);
		if (!before || !before.hosted || !isOpen(before.state)) return before;
		const revoked = await this.#rail.gateway.call(
			'revokeOrder',
			{ merchant_order_no: merchantOrderNo },
			emptyDataSchema
		);
		this.#log(`order.revoker ${merchantOrderNo}: ${revoked.kind}`);
		const after = await this.#rail.query(merchantOrderNo);
		if (after && isOpen(after.state) && revoked.kind === 'ok') {
			// The gateway took the revoke and its query does not show it yet: nothing can be paid.
			return this.#move(after, 'cancelled', {
				status: 'cancelled',
				message: 'Cancelled at the POS.'
			});
		}
		return after;
	}

	/**
	 * A refund of a paid hosted order of this till, within what is left of it, recorded before it
	 * is submitted; its status then from `order.refund.query` (the rail's query of a hosted refund).
	 */
	async refund(input: RefundInput): Promise<RefundAnswer> {
		const orders = this.#rail.orders;
		const existing = await orders.get(input.merchantOrderNo);
		if (existing) {
			if (existing.deviceId !== input.deviceId || existing.kind !== 'refund') {
				return { ok: false, status: 409, code: 'duplicate', message: 'That number is taken.' };
			}
			return { ok: true, order: existing, created: false };
		}
		const problem = await this.refundProblem(input);
		if (problem) return problem;
		const orig = (await orders.get(input.origMerchantOrderNo))!;
		const now = this.#now();
		const paid = typeof orig.outcome?.amount === 'number' ? orig.outcome.amount : orig.amount;
		const recorded = await orders.createRefundWithin(
			{
				merchantOrderNo: input.merchantOrderNo,
				deviceId: input.deviceId,
				terminalId: orig.terminalId,
				kind: 'refund',
				amount: input.amount,
				tip: 0,
				currency: input.currency,
				origMerchantOrderNo: orig.merchantOrderNo,
				expiresAt: now + 24 * 3600_000,
				nextPollAt: now + FIRST_POLL_MS,
				createdAt: now,
				hosted: orig.hosted
			},
			paid
		);
		if (recorded === 'over') return overLeft();
		if (recorded === 'exists') {
			return { ok: true, order: await this.#mustGet(input.merchantOrderNo), created: false };
		}
		const result = await this.#rail.gateway.call(
			'refundSubmit',
			{
				orig_merchant_order_no: orig.merchantOrderNo,
				merchant_order_no: input.merchantOrderNo,
				price_currency: input.currency,
				order_amount: Number(toDecimalString(input.amount, input.currency)),
				description: (input.description ?? 'Refund at the POS').slice(0, 64),
				notify_url: input.notifyUrl
			},
			refundSubmitSchema
		);
		const next = stateOfAnswer(result);
		await orders.move(
			input.merchantOrderNo,
			(o) => mayMove(o.state, next.state),
			{ ...next, transNo: result.kind === 'ok' ? result.data.trans_no : undefined },
			this.#now()
		);
		// Submitted: what the refund query says now (it may still be in progress).
		const order =
			next.state === 'sent'
				? ((await this.#rail.query(input.merchantOrderNo)) ??
					(await this.#mustGet(input.merchantOrderNo)))
				: await this.#mustGet(input.merchantOrderNo);
		return { ok: true, order, created: true };
	}

	/** Why a refund of `input.amount` cannot be made, checked before a manager's approval is used. */
	async refundProblem(
		input: Pick<RefundInput, 'deviceId' | 'origMerchantOrderNo' | 'amount' | 'currency'>
	): Promise<Extract<RefundAnswer, { ok: false }> | null> {
		const orders = this.#rail.orders;
		const orig = await orders.get(input.origMerchantOrderNo);
		if (!orig || orig.deviceId !== input.deviceId || !orig.hosted || orig.kind !== 'sale') {
			return {
				ok: false,
				status: 404,
				code: 'unknown_order',
				message: 'The server has no such hosted payment of this till.'
			};
		}
		if (orig.state !== 'approved') {
			return { ok: false, status: 409, code: 'not_paid', message: 'That payment was not made.' };
		}
		if (orig.currency !== input.currency) {
			return { ok: false, status: 409, code: 'wrong_currency', message: 'Another currency.' };
		}
		const left = refundableLeft(orig, await orders.refundsOf(orig.merchantOrderNo));
		return input.amount > left ? overLeft(left, orig.currency) : null;
	}

	/**
	 * What a return page learns from a reference: the order's own status, from a verified
	 * notification or an earlier query when it is final, else after a signed `order.query` (at
	 * most one per order every 2 s, however often the page is opened). Null for a reference that
	 * names no order: a forged one learns nothing.
	 */
	async lookupReturn(ref: string): Promise<ReturnLookup | null> {
		if (!isReturnRef(ref)) return null;
		let order = await this.#rail.orders.byReturnRef(hashReturnRef(ref));
		if (!order) return null;
		const now = this.#now();
		const last = this.#lastReturnQuery.get(order.merchantOrderNo) ?? 0;
		if (isOpen(order.state) && now - last >= RETURN_QUERY_GAP_MS) {
			this.#lastReturnQuery.set(order.merchantOrderNo, now);
			order = (await this.#rail.query(order.merchantOrderNo).catch(() => order)) ?? order;
		}
		if (!isOpen(order.state)) this.#lastReturnQuery.delete(order.merchantOrderNo);
		return {
			status: returnStatusOf(order),
			amount: order.amount,
			currency: order.currency,
			expiresAt: order.expiresAt,
			order
		};
	}

	async #move(
		order: CloudOrder,
		state: CloudOrderState,
		outcome: Record<string, unknown>
	): Promise<CloudOrder> {
		const moved = await this.#rail.orders.move(
			order.merchantOrderNo,
			(current) => mayMove(current.state, state),
			{ state, outcome },
			this.#now()
		);
		return moved.order ?? order;
	}

	async #mustGet(merchantOrderNo: string): Promise<CloudOrder> {
		const order = await this.#rail.orders.get(merchantOrderNo);
		if (!order) throw new Error('hosted order vanished');
		return order;
	}
}

function overLeft(left?: number, currency?: string): Extract<RefundAnswer, { ok: false }> {
	const what =
		left === undefined || !currency ? '' : ` (${toDecimalString(left, currency)} ${currency})`;
	return {
		ok: false,
		status: 409,
		code: 'over_refund',
		message: `That is more than is left to refund of this payment${what}.`
	};
}
