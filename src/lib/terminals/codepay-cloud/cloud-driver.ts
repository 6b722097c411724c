/**
 * The CodePay cloud rail in the browser: the till never talks to the gateway; it asks the POS
 * server, which signs, pushes the order to the terminal and settles it from the gateway's signed
 * messages. A sale resolves when the server's event stream (or, as a backup, asking the server)
 * shows the order final; until then, and when the time runs out, it is `unknown`, reconciled by
 * `query` (a signed `order.query` on the server).
 */
import {
	TerminalError,
	type BatchCloseResult,
	type Outcome,
	type PreAuthCompleteRequest,
	type QueryRequest,
	type RefundRequest,
	type SaleRequest,
	type TerminalCapabilities,
	type TerminalConfig,
	type TerminalDriver,
	type TerminalEvent,
	type TerminalStatus,
	type TipAdjustRequest,
	type VoidRequest
} from '../driver';
import { z } from 'zod/mini';
import { CloudApi, type CloudApiOptions } from './cloud-api';
import { outcomeOf } from './cloud-outcome';
import { CloudOrderTracker } from './order-tracker';

/** A little longer than the order's `expires` on the server (180 s). */
export const SALE_WAIT_MS = 200_000;

export { outcomeOf } from './cloud-outcome';

const tipAnswerSchema = z.object({
	outcome: z.object({
		status: z.enum(['approved', 'declined', 'unknown']),
		tip: z.optional(z.int()),
		reference: z.optional(z.string()),
		code: z.optional(z.string()),
		message: z.optional(z.string())
	})
});
const batchAnswerSchema = z.object({
	closed: z.boolean(),
	code: z.string(),
	message: z.optional(z.string())
});

export interface CloudDriverOptions extends CloudApiOptions {
	waitMs?: number;
}

export class CodePayCloudDriver implements TerminalDriver {
	readonly id: string;
	readonly rail = 'codepay-cloud' as const;
	readonly capabilities: TerminalCapabilities = {
		tipOnTerminal: true,
		refund: true,
		partialRefund: true,
		void: true,
		receipts: false,
		batchClose: true,
		tipAdjust: true,
		preAuth: true
	};

	readonly #config: TerminalConfig;
	readonly #api: CloudApi;
	readonly #orders: CloudOrderTracker;
	readonly #waitMs: number;

	constructor(config: TerminalConfig, options: CloudDriverOptions = {}) {
		this.id = config.id;
		this.#config = config;
		this.#api = new CloudApi(options);
		this.#waitMs = options.waitMs ?? SALE_WAIT_MS;
		this.#orders = new CloudOrderTracker(this.#api);
	}

	status(): TerminalStatus {
		return this.#orders.status();
	}

	async connect(): Promise<void> {
		this.#orders.connect();
	}

	async disconnect(): Promise<void> {
		this.#orders.disconnect();
	}

	on(listener: (event: TerminalEvent) => void): () => void {
		return this.#orders.on(listener);
	}

	sale(request: SaleRequest): Promise<Outcome> {
		return this.#push(request.merchantOrderNo, {
			kind: 'sale',
			amount: request.amount,
			tip: request.tip,
			currency: request.currency,
			tipOnTerminal: request.tipOnTerminal === true,
			description: request.description
		});
	}

	refund(request: RefundRequest): Promise<Outcome> {
		return this.#pushOnOriginal('refund', request);
	}

	void(request: VoidRequest): Promise<Outcome> {
		return this.#pushOnOriginal('void', request);
	}

	/** An operation on an earlier, approved order of this terminal: it moves no tip of its own. */
	#pushOnOriginal(
		kind: 'refund' | 'void' | 'preauth_completion' | 'preauth_cancel',
		request: RefundRequest | VoidRequest | PreAuthCompleteRequest
	): Promise<Outcome> {
		return this.#push(request.merchantOrderNo, {
			kind,
			amount: request.amount,
			tip: 0,
			currency: request.currency,
			origMerchantOrderNo: request.origMerchantOrderNo
		});
	}

	query(request: QueryRequest): Promise<Outcome> {
		return this.#orders.query(request.merchantOrderNo, 'The POS server never sent this order.');
	}

	async cancel(merchantOrderNo: string): Promise<void> {
		await this.#api.call(`/orders/${encodeURIComponent(merchantOrderNo)}/cancel`, {}, true);
	}

	/** A card hold (pre-authorisation, trans_type 4), charged later by `preAuthComplete`. */
	preAuth(request: SaleRequest): Promise<Outcome> {
		return this.#push(request.merchantOrderNo, {
			kind: 'preauth',
			amount: request.amount,
			tip: request.tip,
			currency: request.currency,
			description: request.description
		});
	}

	/** Charges an approved hold (trans_type 6). */
	preAuthComplete(request: PreAuthCompleteRequest): Promise<Outcome> {
		return this.#pushOnOriginal('preauth_completion', request);
	}

	/** Releases an approved hold (trans_type 5), on the manager's approval the till got first. */
	preAuthCancel(request: PreAuthCompleteRequest): Promise<Outcome> {
		return this.#pushOnOriginal('preauth_cancel', request);
	}

	/** Sets the tip of an approved sale (`tip.adjustment` on the server; absolute, safe to repeat). */
	async tipAdjust(request: TipAdjustRequest): Promise<Outcome> {
		const answer = await this.#api.callFor(
			`/orders/${encodeURIComponent(request.merchantOrderNo)}/tip`,
			{ tip: request.tip },
			tipAnswerSchema
		);
		return answer.outcome;
	}

	/** Closes the terminal's batch (`batch.close`), on the manager's approval the till got first. */
	async batchClose(): Promise<BatchCloseResult> {
		return this.#api.callFor('/batch-close', { terminalId: this.id }, batchAnswerSchema);
	}

	async #push(merchantOrderNo: string, fields: Record<string, unknown>): Promise<Outcome> {
		if (this.#orders.isWaiting(merchantOrderNo)) {
			throw new TerminalError('busy', 'This order is already waiting on the terminal.', false);
		}
		const settled = this.#orders.begin(merchantOrderNo);
		try {
			const order = await this.#api.call(
				'/orders',
				{ terminalId: this.#config.id, merchantOrderNo, ...fields },
				true
			);
			const now = outcomeOf(order);
			if (now) return now;
			// The gateway's answer was lost or not believable: the journal's reconciliation asks
			// (`query`, a signed order.query on the server) until it is known.
			if (order.state === 'unknown') {
				return { status: 'unknown', message: 'The gateway answer could not be trusted; checking.' };
			}
			return await this.#orders.wait(merchantOrderNo, settled, Date.now() + this.#waitMs, {
				status: 'unknown',
				message: 'No result from the terminal yet: ask the terminal.'
			});
		} finally {
			this.#orders.end(merchantOrderNo);
		}
	}
}
