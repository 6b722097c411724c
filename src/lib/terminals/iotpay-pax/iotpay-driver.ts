/**
 * IOT Pay `CC_PAX` (issue 12): a PAX terminal behind IOT Pay's cloud, driven by the POS server.
 * The till never talks to IOT Pay: it asks its server to start the sale (`POST /api/rails/iotpay-pax/sales`)
 * and then for the result (`GET /api/rails/iotpay-pax/sales/<no>`, a long poll). The server holds
 * `create_order` and, when its answer is lost, asks `query_order`; a till that reloads meanwhile
 * gets the result by `query` (the journal's reconcile).
 */
import { ApiError, apiCall } from '$lib/api/client';
import {
	TerminalError,
	type Outcome,
	type QueryRequest,
	type RefundRequest,
	type SaleRequest,
	type TerminalCapabilities,
	type TerminalConfig,
	type TerminalDriver,
	type TerminalEvent,
	type TerminalStatus,
	type VoidRequest
} from '../driver';
import { saleViewSchema, type SaleView } from './messages';

/** Shown where a refund would be offered (NOTES.md §4: a `CC_PAX` refund API is unconfirmed). */
export const REFUND_ON_TERMINAL =
	'Refunds of IOT Pay (PAX) payments are done on the PAX terminal itself, not from the POS.';

const CANCEL_ON_TERMINAL =
	'IOT Pay offers no cancel the POS can send to the PAX: press Cancel (the red key) on the terminal. ' +
	'The POS shows the result as soon as the terminal is done.';

/** Seconds the server may hold one long poll (its limit is 30). */
const LONG_POLL_S = 25;
const MIN_POLL_MS = 1000;

export interface IotPayDriverOptions {
	deviceToken?: string;
	staffSession?: () => string | null | undefined;
	fetch?: typeof fetch;
}

export class IotPayPaxDriver implements TerminalDriver {
	readonly id: string;
	readonly rail = 'iotpay-pax' as const;
	readonly capabilities: TerminalCapabilities = {
		tipOnTerminal: false,
		refund: false,
		partialRefund: false,
		void: false,
		receipts: false,
		batchClose: false,
		tipAdjust: false,
		refundNote: REFUND_ON_TERMINAL
	};
	readonly #config: TerminalConfig;
	readonly #options: IotPayDriverOptions;
	#status: TerminalStatus = 'disconnected';
	readonly #listeners = new Set<(event: TerminalEvent) => void>();

	constructor(config: TerminalConfig, options: IotPayDriverOptions = {}) {
		this.id = config.id;
		this.#config = config;
		this.#options = options;
	}

	status(): TerminalStatus {
		return this.#status;
	}

	#setStatus(status: TerminalStatus): void {
		this.#status = status;
		for (const listener of this.#listeners) listener({ type: 'status', status });
	}

	/** Nothing to open: the server reaches IOT Pay. */
	async connect(): Promise<void> {
		this.#setStatus('ready');
	}

	async disconnect(): Promise<void> {
		this.#setStatus('disconnected');
	}

	on(listener: (event: TerminalEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#call(path: string, body?: unknown): Promise<SaleView> {
		return apiCall(path, saleViewSchema, {
			body,
			credentials: {
				deviceToken: this.#options.deviceToken,
				staffSession: this.#options.staffSession?.()
			},
			fetch: this.#options.fetch
		});
	}

	#statusPath(merchantOrderNo: string, wait: number): string {
		const query = new URLSearchParams({ wait: String(wait), terminal: this.id });
		return `/api/rails/iotpay-pax/sales/${encodeURIComponent(merchantOrderNo)}?${query}`;
	}

	async sale(request: SaleRequest): Promise<Outcome> {
		if (request.currency !== this.#config.currency) {
			throw new TerminalError(
				'bad_request',
				`${this.#config.name} takes ${this.#config.currency}, not ${request.currency}.`,
				false
			);
		}
		this.#setStatus('busy');
		try {
			let view: SaleView;
			try {
				view = await this.#call('/api/rails/iotpay-pax/sales', {
					terminalId: this.id,
					merchantOrderNo: request.merchantOrderNo,
					amount: request.amount,
					tip: request.tip,
					currency: request.currency,
					description: request.description
				});
			} catch (error) {
				throw startFailure(error);
			}
			while (view.state === 'sent') {
				const asked = Date.now();
				try {
					view = await this.#call(this.#statusPath(request.merchantOrderNo, LONG_POLL_S));
					// A server that answers a long poll at once is not asked again at once.
					if (view.state === 'sent' && Date.now() - asked < MIN_POLL_MS) {
						await new Promise((resolve) => setTimeout(resolve, MIN_POLL_MS));
					}
				} catch (error) {
					throw new TerminalError(
						'connection_lost',
						`The POS server stopped answering while the PAX took the card (${message(error)}). ` +
							'The POS asks again by itself.',
						true
					);
				}
			}
			return saleResult(view);
		} finally {
			this.#setStatus('ready');
		}
	}

	async query(request: QueryRequest): Promise<Outcome> {
		if (request.kind !== 'sale') return { status: 'unknown', message: 'Only sales go to IOT Pay.' };
		let view: SaleView;
		try {
			view = await this.#call(this.#statusPath(request.merchantOrderNo, 0));
		} catch (error) {
			throw new TerminalError('unreachable', message(error), false);
		}
		if (view.state === 'refused') {
			return { status: 'cancelled', message: view.message ?? 'Nothing was charged.' };
		}
		if (view.state === 'approved' || view.state === 'cancelled') {
			return view.outcome ?? { status: 'unknown' };
		}
		return {
			status: 'unknown',
			message: view.message ?? 'The PAX terminal is still taking the card.'
		};
	}

	async refund(_request: RefundRequest): Promise<Outcome> {
		throw new TerminalError('unsupported', REFUND_ON_TERMINAL, false);
	}

	async void(_request: VoidRequest): Promise<Outcome> {
		throw new TerminalError('unsupported', REFUND_ON_TERMINAL, false);
	}

	async cancel(_merchantOrderNo: string): Promise<void> {
		throw new TerminalError('unsupported', CANCEL_ON_TERMINAL, false);
	}
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Why a start failed. A 4xx is the server refusing before anything went to IOT Pay; anything
 * else (no answer, a 5xx) may have come after the server sent `create_order`.
 */
function startFailure(error: unknown): TerminalError {
	if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
		const code = error.status === 401 || error.status === 403 ? 'auth' : 'bad_request';
		return new TerminalError(code, error.message, false);
	}
	if (error instanceof ApiError && error.code === 'iotpay_not_configured') {
		return new TerminalError('unsupported', error.message, false);
	}
	return new TerminalError(
		'connection_lost',
		`The POS server did not confirm the payment (${message(error)}). The POS asks again by itself.`,
		true
	);
}

function saleResult(view: SaleView): Outcome {
	switch (view.state) {
		case 'approved':
		case 'cancelled':
			if (view.outcome) return view.outcome;
			throw new TerminalError('protocol', 'The POS server gave no result with the payment.', true);
		case 'refused':
			throw new TerminalError(
				view.keyFault ? 'auth' : 'unreachable',
				view.message ?? 'IOT Pay refused the payment. Nothing was charged.',
				false
			);
		default:
			throw new TerminalError(
				'timeout',
				view.message ?? 'The answer from IOT Pay was lost. The POS server is asking IOT Pay.',
				true
			);
	}
}
