/**
 * The server's CodePay cloud rail (issue 10): pushes a till's order to its terminal through the
 * gateway, settles it from a verified notification or a signed `order.query`, polls orders no
 * notification settled (one instance per order, by a lease in the store), and answers the gateway's
 * notifications. The till hears of every change from the store's event table.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import type { TerminalConfig } from '$lib/terminals/driver';
import { toDecimalString } from '$lib/money';
import type { CloudOrder, CloudOrderStore } from '../store/cloud-order-store';
import type { Store } from '../store/types';
import { stateOfAnswer } from './answer-state';
import type { CodePayGateway } from './gateway-client';
import { RECEIVING_APPLICATION, TRANS_TYPE } from './methods';
import { isOpen, mayMove, type CloudOrderState } from './order-state';
import { settlementOf } from './outcome';
import { emptyDataSchema, pushOrderDataSchema, transactionSchema } from './schemas';
import { believeSigned } from './signed-message';
import { withinWindow } from './timestamp';

/** `trans_type` of each kind of order (NOTES.md §1, as on the LAN). */
const TRANS_TYPE_OF_KIND: Record<CloudOrder['kind'], number> = {
	sale: TRANS_TYPE.sale,
	refund: TRANS_TYPE.refund,
	void: TRANS_TYPE.void,
	preauth: TRANS_TYPE.preauth,
	preauth_completion: TRANS_TYPE.preauthCompletion,
	preauth_cancel: TRANS_TYPE.preauthCancel
};

/** How long a pushed order may wait on the terminal (`expires`, seconds). */
export const ORDER_EXPIRES_S = 180;
const LEASE_MS = 15_000;
const FIRST_POLL_MS = 5_000;
const MAX_POLL_GAP_MS = 60_000;
/** After `expires`, an order still open is asked about this often. */
const LATE_POLL_MS = 10 * 60_000;

export interface PushInput {
	deviceId: string;
	terminal: TerminalConfig;
	merchantOrderNo: string;
	kind: CloudOrder['kind'];
	amount: number;
	tip: number;
	currency: string;
	tipOnTerminal: boolean;
	origMerchantOrderNo?: string;
	description?: string;
	notifyUrl: string;
}

export interface CloudRailDeps {
	gateway: CodePayGateway;
	gatewayPublicKey: KeyObject;
	store: Store;
	/**
	 * The server's configured terminals (a close names the order's terminal_sn); a function when
	 * the back office may change them while the server runs (issue 13).
	 */
	terminals: readonly TerminalConfig[] | (() => readonly TerminalConfig[]);
	now: () => number;
	log?: (line: string) => void;
}

export class CloudRail {
	readonly #gateway: CodePayGateway;
	readonly #publicKey: KeyObject;
	readonly #store: Store;
	readonly #orders: CloudOrderStore;
	readonly #terminals: () => readonly TerminalConfig[];
	readonly #now: () => number;
	readonly #log: (line: string) => void;

	constructor(deps: CloudRailDeps) {
		this.#gateway = deps.gateway;
		this.#publicKey = deps.gatewayPublicKey;
		this.#store = deps.store;
		this.#orders = deps.store.cloudOrders;
		const terminals = deps.terminals;
		this.#terminals = typeof terminals === 'function' ? terminals : () => terminals;
		this.#now = deps.now;
		this.#log = deps.log ?? ((line) => console.log(`[codepay-cloud] ${line}`));
	}

	get orders(): CloudOrderStore {
		return this.#orders;
	}

	/** The gateway's public key: not secret; a till encrypts typed cards with it (issue 11). */
	get gatewayPublicKey(): KeyObject {
		return this.#publicKey;
	}

	/** For the calls that settle no order (tip adjustment, batch close). */
	get gateway(): CodePayGateway {
		return this.#gateway;
	}

	/**
	 * Records the order, then pushes it once. The same merchant_order_no again finds the record and
	 * sends nothing: the answer is what the server knows of the first.
	 */
	async push(input: PushInput): Promise<{ order: CloudOrder; created: boolean }> {
		const now = this.#now();
		const created = await this.#orders.create({
			merchantOrderNo: input.merchantOrderNo,
			deviceId: input.deviceId,
			terminalId: input.terminal.id,
			kind: input.kind,
			amount: input.amount,
			tip: input.tip,
			currency: input.currency,
			origMerchantOrderNo: input.origMerchantOrderNo ?? null,
			expiresAt: now + ORDER_EXPIRES_S * 1000,
			nextPollAt: now + FIRST_POLL_MS,
			createdAt: now
		});
		if (!created) {
			const existing = await this.#orders.get(input.merchantOrderNo);
			if (!existing) throw new Error('cloud order vanished');
			return { order: existing, created: false };
		}
		const params = input.terminal.params;
		const transType = TRANS_TYPE_OF_KIND[input.kind];
		const result = await this.#gateway.call(
			'pushOrder',
			{
				// The terminal's own merchant number, where the config names one (issue 10).
				merchant_no: params.merchantNo === undefined ? undefined : String(params.merchantNo),
				terminal_sn: String(params.terminalSn ?? ''),
				store_no: params.storeNo === undefined ? undefined : String(params.storeNo),
				message_receiving_application: RECEIVING_APPLICATION,
				price_currency: input.currency,
				// Major units as a JSON number, the text of which is what is signed (NOTES.md §2).
				order_amount: Number(toDecimalString(input.amount, input.currency)),
				tip_amount: input.tip > 0 ? Number(toDecimalString(input.tip, input.currency)) : undefined,
				on_screen_tip:
					input.kind === 'sale' || input.kind === 'preauth' ? input.tipOnTerminal : undefined,
				trans_type: transType,
				merchant_order_no: input.merchantOrderNo,
				orig_merchant_order_no: input.origMerchantOrderNo,
				description: (input.description ?? 'POS sale').slice(0, 128),
				notify_url: input.notifyUrl,
				expires: ORDER_EXPIRES_S,
				api_version: '2.0'
			},
			pushOrderDataSchema
		);
		const at = this.#now();
		const next = {
			...stateOfAnswer(result),
			transNo: result.kind === 'ok' ? result.data.trans_no : undefined
		};
		const moved = await this.#orders.move(
			input.merchantOrderNo,
			(o) => mayMove(o.state, next.state),
			next,
			at
		);
		return { order: moved.order ?? (await this.#mustGet(input.merchantOrderNo)), created: true };
	}

	/** A signed `order.query`, and the order settled by what it says. */
	async query(merchantOrderNo: string): Promise<CloudOrder | null> {
		const order = await this.#orders.get(merchantOrderNo);
		if (!order || (!isOpen(order.state) && order.state !== 'cancelled')) return order;
		// A hosted payment's refund was submitted with `order.refund.submit`: its status is the
		// refund query's (spec "Query Refund"); everything else is an order.
		const method = order.hosted && order.kind === 'refund' ? 'refundQuery' : 'queryOrder';
		const result = await this.#gateway.call(
			method,
			{ merchant_order_no: merchantOrderNo },
			transactionSchema
		);
		// A push still on its way (another instance, a slow gateway) is unknown to the gateway too:
		// only once the order could no longer be paid does "no such order" mean it never went out.
		if (result.kind === 'refused' && order.state === 'sending' && this.#now() > order.expiresAt) {
			return this.#settle(order, 'failed', {
				status: 'declined',
				code: result.code,
				message: result.message
			});
		}
		if (result.kind !== 'ok') return order;
		const settlement = settlementOf(order, result.data);
		if (settlement.kind === 'mismatch') {
			this.#log(`order.query ${merchantOrderNo}: not the attempt's (${settlement.problem})`);
			return order;
		}
		if (settlement.kind === 'pending') {
			if (order.state === 'unknown' || order.state === 'sending') {
				return (
					await this.#orders.move(
						merchantOrderNo,
						(o) => o.state === order.state,
						{ state: 'sent', transNo: settlement.transNo },
						this.#now()
					)
				).order;
			}
			return order;
		}
		return this.#settle(order, settlement.state, settlement.outcome, settlement.transNo);
	}

	/** `wisehub.cloud.pay.close`: takes a not yet paid order off the terminal. */
	async cancel(merchantOrderNo: string): Promise<CloudOrder | null> {
		const order = await this.#orders.get(merchantOrderNo);
		if (!order || !isOpen(order.state)) return order;
		// A hosted order is on no terminal: it is cancelled with `order.revoker` (codepay-hosted).
		if (order.hosted) return this.query(merchantOrderNo);
		const terminal = this.#terminals().find((t) => t.id === order.terminalId);
		const terminalSn = String(terminal?.params.terminalSn ?? '');
		await this.#gateway.call(
			'closeOrder',
			{
				merchant_no:
					terminal?.params.merchantNo === undefined
						? undefined
						: String(terminal.params.merchantNo),
				terminal_sn: terminalSn,
				merchant_order_no: merchantOrderNo,
				message_receiving_application: RECEIVING_APPLICATION,
				description: 'Cancelled at the POS'
			},
			emptyDataSchema
		);
		// Whatever the close answered, the order's state is what a signed query says: a payment
		// that beat the close stays a payment.
		return this.query(merchantOrderNo);
	}

	/**
	 * A notification's body → what to answer. Forged, unsigned, stale or malformed: 400 and
	 * nothing changes. Verified: stored once per (trans_no, trans_status), settles the order when
	 * it is the attempt's, and `success` either way (a duplicate is normal).
	 */
	async notification(text: string): Promise<{ status: number; body: string }> {
		const believed = believeSigned(text, this.#publicKey);
		if (!believed.ok) {
			this.#log(`notification refused: ${believed.reason}`);
			return { status: 400, body: believed.reason };
		}
		if ('timestamp' in believed.value && !withinWindow(believed.value.timestamp, this.#now())) {
			this.#log('notification refused: timestamp outside the 15-minute window');
			return { status: 400, body: 'stale' };
		}
		const tx = transactionSchema.safeParse(believed.value);
		if (!tx.success) return { status: 400, body: 'malformed' };
		const data = tx.data;
		const fresh = await this.#store.recordNotification({
			id: randomUUID(),
			source: 'codepay-cloud',
			dedupeKey: `codepay-cloud:${data.trans_no ?? data.merchant_order_no}:${data.trans_status}`,
			receivedAt: this.#now(),
			body: believed.value
		});
		this.#log(
			`notification ${data.merchant_order_no} trans_status=${data.trans_status}${fresh ? '' : ' (duplicate)'}`
		);
		if (!fresh) return { status: 200, body: 'success' };
		const order = await this.#orders.get(data.merchant_order_no);
		if (!order) return { status: 200, body: 'success' };
		const settlement = settlementOf(order, data);
		if (settlement.kind === 'final') {
			await this.#settle(order, settlement.state, settlement.outcome, settlement.transNo);
		} else if (settlement.kind === 'mismatch') {
			this.#log(
				`notification ${data.merchant_order_no}: not the attempt's (${settlement.problem}); asking order.query`
			);
			void this.query(order.merchantOrderNo).catch(() => undefined);
		}
		return { status: 200, body: 'success' };
	}

	/** One round of the poller: the orders due whose lease this instance got. */
	async pollDue(limit = 20): Promise<number> {
		const now = this.#now();
		const due = await this.#orders.leaseDue(now, LEASE_MS, limit);
		for (const order of due) {
			const after = await this.query(order.merchantOrderNo).catch(() => order);
			if (after && isOpen(after.state)) {
				const gap = Math.min(FIRST_POLL_MS * 2 ** Math.min(order.polls, 6), MAX_POLL_GAP_MS);
				const at = this.#now() > order.expiresAt ? this.#now() + LATE_POLL_MS : this.#now() + gap;
				await this.#orders.schedulePoll(order.merchantOrderNo, at);
			}
		}
		return due.length;
	}

	async #settle(
		order: CloudOrder,
		state: CloudOrderState,
		outcome: Record<string, unknown>,
		transNo?: string
	): Promise<CloudOrder | null> {
		const moved = await this.#orders.move(
			order.merchantOrderNo,
			(current) => mayMove(current.state, state),
			{ state, outcome, transNo },
			this.#now()
		);
		if (moved.changed) this.#log(`${order.merchantOrderNo} -> ${state}`);
		return moved.order;
	}

	async #mustGet(merchantOrderNo: string): Promise<CloudOrder> {
		const order = await this.#orders.get(merchantOrderNo);
		if (!order) throw new Error('cloud order vanished');
		return order;
	}
}
