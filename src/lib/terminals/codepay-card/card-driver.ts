/**
 * Card entry (card not present, phone orders): the cashier types the card into the rail's form,
 * which encrypts it in the browser with the gateway's public key; this driver sends the server only
 * that ciphertext (`SaleRequest.railInput`), and the server charges it with
 * `pay.merchant.checkout`. When the gateway asks for 3-D Secure, its page opens in a pop-up (the
 * till keeps its own tab and waits; a blocked pop-up falls back to this tab, and the journal
 * reconciles the payment when the till is opened again). The result is always what the server's
 * signed `order.query` says, never the redirect.
 */
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
	type TerminalStatus
} from '../driver';
import type { CloudApi, CloudApiOptions } from '../codepay-cloud/cloud-api';
import { cardApi, fetchGatewayKey, type CheckoutView } from './card-api';

/** A little longer than the server's `expires` (600 s): 3-D Secure may take the cardholder a while. */
export const CHECKOUT_WAIT_MS = 620_000;
const ASK_EVERY_MS = 2_000;

export interface CardDriverOptions extends Omit<CloudApiOptions, 'rail'> {
	waitMs?: number;
	/** Opens the 3-D Secure page; the browser's pop-up by default. */
	openThreeDs?: (url: string) => { close(): void } | null;
}

function openPopup(url: string): { close(): void } | null {
	const popup = window.open(url, 'card-3ds', 'popup,width=480,height=680');
	if (popup) return popup;
	window.location.assign(url);
	return null;
}

/** The server's view as the till's outcome (the total back into amount and tip); null while open. */
export function outcomeOf(view: CheckoutView, amount: number, tip: number): Outcome | null {
	const reference = view.outcome?.reference ?? view.reference;
	const details = {
		reference,
		cardBrand: view.outcome?.cardBrand,
		maskedCard: view.outcome?.maskedCard,
		authCode: view.outcome?.authCode,
		code: view.outcome?.code,
		message: view.outcome?.message
	};
	switch (view.state) {
		case 'approved':
			return { ...details, status: 'approved', amount, tip };
		case 'declined':
		case 'cancelled':
			return { ...details, status: view.state };
		case 'failed':
			return {
				...details,
				status: 'declined',
				message: details.message ?? 'The gateway refused the card.'
			};
		default:
			return null;
	}
}

export class CodePayCardDriver implements TerminalDriver {
	readonly id: string;
	readonly rail = 'codepay-card' as const;
	readonly capabilities: TerminalCapabilities = {
		tipOnTerminal: false,
		refund: true,
		partialRefund: true,
		void: false,
		receipts: false,
		batchClose: false,
		tipAdjust: false
	};

	readonly #config: TerminalConfig;
	readonly #api: CloudApi;
	readonly #waitMs: number;
	readonly #open: (url: string) => { close(): void } | null;
	readonly #listeners = new Set<(event: TerminalEvent) => void>();
	#status: TerminalStatus = 'disconnected';

	constructor(config: TerminalConfig, options: CardDriverOptions = {}) {
		this.id = config.id;
		this.#config = config;
		this.#api = cardApi(options);
		this.#waitMs = options.waitMs ?? CHECKOUT_WAIT_MS;
		this.#open = options.openThreeDs ?? openPopup;
	}

	status(): TerminalStatus {
		return this.#status;
	}

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

	/** The key the form encrypts the card with (SPKI, base64), from the POS server. */
	gatewayKey(): Promise<string> {
		return fetchGatewayKey(this.#api);
	}

	async sale(request: SaleRequest): Promise<Outcome> {
		const card = request.railInput?.card;
		if (!card) {
			throw new TerminalError('bad_request', 'Enter the card first: nothing was sent.', false);
		}
		return this.#run(request.merchantOrderNo, request.amount, request.tip, () =>
			this.#api.call(
				'/checkouts',
				{
					terminalId: this.#config.id,
					merchantOrderNo: request.merchantOrderNo,
					amount: request.amount,
					tip: request.tip,
					currency: request.currency,
					description: request.description,
					card,
					billingAddress: request.railInput?.billingAddress
				},
				true
			)
		);
	}

	refund(request: RefundRequest): Promise<Outcome> {
		return this.#run(request.merchantOrderNo, request.amount, 0, () =>
			this.#api.call(
				'/refunds',
				{
					terminalId: this.#config.id,
					merchantOrderNo: request.merchantOrderNo,
					origMerchantOrderNo: request.origMerchantOrderNo,
					amount: request.amount,
					currency: request.currency
				},
				true
			)
		);
	}

	async void(): Promise<Outcome> {
		throw new TerminalError('unsupported', 'A typed card payment is refunded, not voided.', false);
	}

	async query(request: QueryRequest): Promise<Outcome> {
		let view: CheckoutView;
		try {
			view = await this.#ask(request.merchantOrderNo);
		} catch (error) {
			// The server has no record: the payment never went out.
			if (error instanceof TerminalError && error.code === 'bad_request') {
				return { status: 'declined', message: 'The POS server never sent this payment.' };
			}
			throw error;
		}
		return outcomeOf(view, request.amount, 0) ?? { status: 'unknown', reference: view.reference };
	}

	/** Stops a payment still waiting on 3-D Secure (`order.revoker` on the server). */
	async cancel(merchantOrderNo: string): Promise<void> {
		await this.#api.call(`/checkouts/${encodeURIComponent(merchantOrderNo)}/cancel`, {}, true);
	}

	#ask(merchantOrderNo: string): Promise<CheckoutView> {
		return this.#api.call(`/checkouts/${encodeURIComponent(merchantOrderNo)}`, undefined, false);
	}

	async #run(
		merchantOrderNo: string,
		amount: number,
		tip: number,
		start: () => Promise<CheckoutView>
	): Promise<Outcome> {
		this.#setStatus('busy');
		let popup: { close(): void } | null = null;
		try {
			let view = await start();
			if (view.payUrl) popup = this.#open(view.payUrl);
			const deadline = Date.now() + this.#waitMs;
			for (;;) {
				const outcome = outcomeOf(view, amount, tip);
				if (outcome) return outcome;
				if (Date.now() >= deadline) break;
				await new Promise((resolve) => setTimeout(resolve, ASK_EVERY_MS));
				// The server asks the gateway (a signed query) while the payment is open.
				view = await this.#ask(merchantOrderNo).catch(() => view);
			}
			return { status: 'unknown', message: 'No result from the gateway yet: checking.' };
		} finally {
			popup?.close();
			this.#setStatus('ready');
		}
	}

	#setStatus(status: TerminalStatus): void {
		if (status === this.#status) return;
		this.#status = status;
		for (const listener of this.#listeners) listener({ type: 'status', status });
	}
}
