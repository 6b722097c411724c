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
import { z } from 'zod';
import { CloudApi, cloudOrderSchema, type CloudApiOptions, type CloudOrderView } from './cloud-api';
import { CloudEventStream } from './event-stream';

/** A little longer than the order's `expires` on the server (180 s). */
export const SALE_WAIT_MS = 200_000;
/** How often a waiting sale asks the server, in case the stream is slow or down. */
const BACKUP_ASK_MS = 3_000;

/** The server's view of an order as the till's outcome; null while it is not final. */
export function outcomeOf(order: CloudOrderView): Outcome | null {
	switch (order.state) {
		case 'approved':
		case 'declined':
		case 'cancelled':
			return {
				...order.outcome,
				status: order.state,
				reference: order.outcome?.reference ?? order.reference
			};
		case 'failed':
			// The gateway refused the order or never got it: no money moved.
			return {
				status: 'declined',
				message: order.outcome?.message ?? 'The gateway refused the order.',
				code: order.outcome?.code
			};
		default:
			return null;
	}
}

const tipAnswerSchema = z.object({
	outcome: z.object({
		status: z.enum(['approved', 'declined', 'unknown']),
		tip: z.int().optional(),
		reference: z.string().optional(),
		code: z.string().optional(),
		message: z.string().optional()
	})
});
const batchAnswerSchema = z.object({
	closed: z.boolean(),
	code: z.string(),
	message: z.string().optional()
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
	readonly #stream: CloudEventStream;
	readonly #waitMs: number;
	readonly #listeners = new Set<(event: TerminalEvent) => void>();
	readonly #waiters = new Map<string, (outcome: Outcome) => void>();
	#status: TerminalStatus = 'disconnected';

	constructor(config: TerminalConfig, options: CloudDriverOptions = {}) {
		this.id = config.id;
		this.#config = config;
		this.#api = new CloudApi(options);
		this.#waitMs = options.waitMs ?? SALE_WAIT_MS;
		this.#stream = new CloudEventStream(this.#api, {
			onOpen: () => this.#setStatus(this.#waiters.size > 0 ? 'busy' : 'ready'),
			onDrop: () => this.#setStatus('reconnecting'),
			onEvent: (data) => this.#onEvent(data)
		});
	}

	status(): TerminalStatus {
		return this.#status;
	}

	async connect(): Promise<void> {
		if (this.#status === 'disconnected' || this.#status === 'offline')
			this.#setStatus('connecting');
		this.#stream.start();
	}

	async disconnect(): Promise<void> {
		this.#stream.stop();
		this.#setStatus('disconnected');
	}

	on(listener: (event: TerminalEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
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

	async query(request: QueryRequest): Promise<Outcome> {
		let order: CloudOrderView;
		try {
			order = await this.#api.call(
				`/orders/${encodeURIComponent(request.merchantOrderNo)}/query`,
				{},
				false
			);
		} catch (error) {
			// The server has no record: the order never went out.
			if (error instanceof TerminalError && error.code === 'bad_request') {
				return { status: 'declined', message: 'The POS server never sent this order.' };
			}
			throw error;
		}
		return outcomeOf(order) ?? { status: 'unknown', reference: order.reference };
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
		if (this.#waiters.has(merchantOrderNo)) {
			throw new TerminalError('busy', 'This order is already waiting on the terminal.', false);
		}
		this.#stream.start();
		const settled = new Promise<Outcome>((resolve) => this.#waiters.set(merchantOrderNo, resolve));
		this.#setStatus('busy');
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
			return await this.#wait(merchantOrderNo, settled);
		} finally {
			this.#waiters.delete(merchantOrderNo);
			this.#setStatus(this.#waiters.size > 0 ? 'busy' : this.#streamStatus());
		}
	}

	/** Until the order is final (stream or asking the server), or `unknown` when time runs out. */
	async #wait(merchantOrderNo: string, settled: Promise<Outcome>): Promise<Outcome> {
		let done = false;
		const deadline = Date.now() + this.#waitMs;
		const ask = async (): Promise<Outcome> => {
			while (!done && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, BACKUP_ASK_MS));
				if (done) break;
				const order = await this.#api
					.call(`/orders/${encodeURIComponent(merchantOrderNo)}`, undefined, false)
					.catch(() => null);
				const outcome = order && outcomeOf(order);
				if (outcome) return outcome;
			}
			return { status: 'unknown', message: 'No result from the terminal yet: ask the terminal.' };
		};
		try {
			return await Promise.race([settled, ask()]);
		} finally {
			done = true;
		}
	}

	#onEvent(data: string): void {
		let value: unknown;
		try {
			value = JSON.parse(data);
		} catch {
			return;
		}
		const parsed = cloudOrderSchema.safeParse(value);
		if (!parsed.success) return;
		const outcome = outcomeOf(parsed.data);
		if (!outcome) return;
		const waiter = this.#waiters.get(parsed.data.merchantOrderNo);
		if (waiter) waiter(outcome);
		else this.#emit({ type: 'result', merchantOrderNo: parsed.data.merchantOrderNo, outcome });
	}

	#streamStatus(): TerminalStatus {
		return this.#status === 'reconnecting' ? 'reconnecting' : 'ready';
	}

	#setStatus(status: TerminalStatus): void {
		if (this.#status === status) return;
		this.#status = status;
		this.#emit({ type: 'status', status });
	}

	#emit(event: TerminalEvent): void {
		for (const listener of this.#listeners) listener(event);
	}
}
