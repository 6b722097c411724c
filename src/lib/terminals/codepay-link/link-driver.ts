/**
 * The pay-by-link rail in the browser (issue 11): a sale asks the POS server for a hosted checkout
 * of the gateway; the customer pays on the gateway's page, reached from the QR code the rail's
 * panel shows (or, in kiosk mode, by this very browser going there). The till never talks to the
 * gateway; the server settles the order from the gateway's signed messages, and the sale resolves
 * when the server's event stream (or asking it) shows the order final. When the link's time is up
 * and still nothing is known, the sale is `unknown`, reconciled by `query` (a signed `order.query`).
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
	type TerminalStatus,
	type VoidRequest
} from '../driver';
import { CloudApi, type CloudOrderView } from '../codepay-cloud/cloud-api';
import { outcomeOf } from '../codepay-cloud/cloud-outcome';
import { CloudOrderTracker } from '../codepay-cloud/order-tracker';
import { isKiosk } from './kiosk';

/** After the link's validity, how long a sale still waits for the gateway's word. */
const AFTER_EXPIRY_MS = 30_000;
/** A refund is answered at once or soon after; then it is reconciled like any unknown. */
const REFUND_WAIT_MS = 30_000;

/** The checkout page of one sale, for the rail's panel. */
export interface LinkPage {
	merchantOrderNo: string;
	payUrl: string;
	expiresAt: number;
}

export interface LinkDriverOptions {
	deviceToken?: string;
	staffSession?: () => string | null | undefined;
	fetch?: typeof fetch;
	base?: string;
	/** Sends this browser to the checkout page (kiosk mode); `location.assign` by default. */
	navigate?: (url: string) => void;
}

export class PayByLinkDriver implements TerminalDriver {
	readonly id: string;
	readonly rail = 'codepay-link' as const;
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
	readonly #orders: CloudOrderTracker;
	readonly #navigate: (url: string) => void;
	readonly #pageListeners = new Set<(page: LinkPage) => void>();
	readonly #pages = new Map<string, LinkPage>();

	constructor(config: TerminalConfig, options: LinkDriverOptions = {}) {
		this.id = config.id;
		this.#config = config;
		this.#api = new CloudApi({ ...options, rail: 'codepay-link' });
		this.#navigate = options.navigate ?? ((url) => window.location.assign(url));
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

	/** Told of each sale's checkout page once the server has it. */
	onPage(listener: (page: LinkPage) => void): () => void {
		this.#pageListeners.add(listener);
		return () => this.#pageListeners.delete(listener);
	}

	/** The checkout page of a sale: known here, or asked of the server (after a reload). */
	async page(merchantOrderNo: string): Promise<LinkPage | null> {
		const known = this.#pages.get(merchantOrderNo);
		if (known) return known;
		const order = await this.#api
			.call(`/orders/${encodeURIComponent(merchantOrderNo)}`, undefined, false)
			.catch(() => null);
		return order ? this.#keepPage(order) : null;
	}

	async sale(request: SaleRequest): Promise<Outcome> {
		if (this.#orders.isWaiting(request.merchantOrderNo)) {
			throw new TerminalError('busy', 'This order already has a link open.', false);
		}
		const no = request.merchantOrderNo;
		const settled = this.#orders.begin(no);
		const charged = request.amount + request.tip;
		try {
			const order = await this.#api.call(
				'/checkouts',
				{
					terminalId: this.#config.id,
					merchantOrderNo: no,
					amount: charged,
					currency: request.currency,
					mode: isKiosk(this.#config.params) ? 'kiosk' : 'link',
					lines: request.lines ?? [],
					description: request.description
				},
				true
			);
			const now = outcomeOf(order);
			if (now) return splitTip(now, request);
			if (order.state === 'unknown') {
				return { status: 'unknown', message: 'The gateway answer could not be trusted; checking.' };
			}
			const page = this.#keepPage(order);
			// Kiosk: this browser goes to the page; the return page and the journal's start-up
			// reconciliation take it from there.
			if (page && isKiosk(this.#config.params)) this.#navigate(page.payUrl);
			const deadline = (order.expiresAt ?? Date.now()) + AFTER_EXPIRY_MS;
			const outcome = await this.#orders.wait(no, settled, deadline, {
				status: 'unknown',
				message: 'The link has expired with no word from the gateway.'
			});
			return splitTip(outcome, request);
		} finally {
			this.#orders.end(no);
		}
	}

	async refund(request: RefundRequest): Promise<Outcome> {
		const no = request.merchantOrderNo;
		const settled = this.#orders.begin(no);
		try {
			const order = await this.#api.call(
				'/refunds',
				{
					terminalId: this.#config.id,
					merchantOrderNo: no,
					origMerchantOrderNo: request.origMerchantOrderNo,
					amount: request.amount,
					currency: request.currency
				},
				true
			);
			const now = outcomeOf(order);
			if (now) return now;
			if (order.state === 'unknown') return { status: 'unknown' };
			return await this.#orders.wait(no, settled, Date.now() + REFUND_WAIT_MS, {
				status: 'unknown'
			});
		} finally {
			this.#orders.end(no);
		}
	}

	async void(_request: VoidRequest): Promise<Outcome> {
		throw new TerminalError('unsupported', 'A paid link is refunded, not voided.', false);
	}

	async query(request: QueryRequest): Promise<Outcome> {
		const outcome = await this.#orders.query(
			request.merchantOrderNo,
			'The POS server never opened this checkout.'
		);
		return request.kind === 'sale'
			? splitTip(outcome, { amount: request.amount, tip: 0 })
			: outcome;
	}

	/** Cancels the link (`order.revoker` on the server, after it checked nothing was paid). */
	async cancel(merchantOrderNo: string): Promise<void> {
		const order = await this.#api.call(
			`/orders/${encodeURIComponent(merchantOrderNo)}/cancel`,
			{},
			true
		);
		const outcome = outcomeOf(order);
		if (outcome) this.#orders.resolve(merchantOrderNo, outcome);
	}

	#keepPage(order: CloudOrderView): LinkPage | null {
		if (!order.payUrl) return null;
		const page: LinkPage = {
			merchantOrderNo: order.merchantOrderNo,
			payUrl: order.payUrl,
			expiresAt: order.expiresAt ?? Date.now()
		};
		this.#pages.set(page.merchantOrderNo, page);
		for (const listener of this.#pageListeners) listener(page);
		return page;
	}
}

/**
 * The gateway charged one amount (the sale and the tip the POS added); the journal keeps them
 * apart, as asked.
 */
function splitTip(outcome: Outcome, request: { amount: number; tip: number }): Outcome {
	if (outcome.status !== 'approved' || outcome.amount !== request.amount + request.tip) {
		return outcome;
	}
	return { ...outcome, amount: request.amount, tip: request.tip };
}
