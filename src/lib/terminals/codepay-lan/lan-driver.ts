/**
 * `TerminalDriver` for CodePay Register / WiseCashier over the LAN WebSocket (NOTES.md §1).
 *
 * Never retries a card operation blindly: an operation whose fate is unknown (sent, then the
 * connection or the clock ran out) is kept "in doubt"; after a reconnect the driver asks the
 * terminal about it before sending anything new, and reports what it learns as a `result` event.
 */
import { z } from 'zod/mini';
import {
	TerminalError,
	type BatchCloseResult,
	type Outcome,
	type PreAuthCompleteRequest,
	type TipAdjustRequest,
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
import {
	CodePayLanClient,
	type ClientEvent,
	type LanLogger,
	type ReconnectOptions,
	type SocketFactory
} from './client';
import {
	buildOrderBiz,
	buildOrderRefBiz,
	buildTipAdjustBiz,
	isSuccess,
	paymentOutcome,
	tipAdjustOutcome,
	type ForecourtLine,
	type PosOrder
} from './codec';
import {
	INVALID_APP_ID_CODE,
	ORDER_NOT_FOUND_CODE,
	RECEIPT_PRINT_MODES,
	TOPIC,
	TRANS_STATUS,
	TRANS_TYPE,
	type InboundMessage,
	type PaymentMessage,
	type TransType
} from './messages';
import { fromWireAmount } from './wire-amount';
import { relayProtocols } from './relay-protocol';
import { DEFAULT_PORT } from './url';
import { connectionMode, type ConnectionMode, type LocalNetworkAccess } from './connection-path';

const flag = z.union([
	z.boolean(),
	z.pipe(
		z.enum(['true', 'false']),
		z.transform((v) => v === 'true')
	)
]);

/** `TerminalConfig.params` for this rail. Settings store strings, numbers and booleans. */
export const lanParamsSchema = z.object({
	host: z
		.string()
		.check(z.trim())
		.check(z.minLength(1, 'Enter the IP address shown on the terminal')),
	port: z._default(
		z.pipe(z.coerce.number(), z.int()).check(z.gte(1)).check(z.lte(65535)),
		DEFAULT_PORT
	),
	appId: z.string().check(z.trim()).check(z.minLength(1, 'Enter the app id')),
	profile: z._default(z.enum(['codepay', 'wisecashier']), 'codepay'),
	/** `pos`: the POS sends the tip; `terminal`: the customer picks it on the terminal. */
	tipMode: z._default(z.enum(['pos', 'terminal']), 'pos'),
	confirmOnTerminal: z._default(flag, false),
	/** `on_screen_signature` (CodePay only). */
	signature: z._default(flag, false),
	receiptPrintMode: z.optional(z.pipe(z.coerce.string(), z.enum(RECEIPT_PRINT_MODES))),
	/** `required_terminal_authentication` for refunds and voids. */
	requireTerminalAuth: z._default(flag, false),
	relayUrl: z.optional(z.string().check(z.trim())),
	/** Only through the POS server's relay from an https page, even where direct is allowed. */
	relayOnly: z._default(flag, false),
	/** Per-operation timeouts in seconds (Settings); unset: 180 s for card operations, 60 s else. */
	saleTimeoutSeconds: z.optional(
		z.pipe(z.coerce.number(), z.int()).check(z.gte(30)).check(z.lte(600))
	),
	queryTimeoutSeconds: z.optional(
		z.pipe(z.coerce.number(), z.int()).check(z.gte(5)).check(z.lte(300))
	)
});
export type LanParams = z.infer<typeof lanParamsSchema>;

export interface LanTimeouts {
	/** Card operations; NOTES.md §1: official clients allow 120–180 s. */
	sale: number;
	/** Query and close; NOTES.md §1: 60 s. */
	query: number;
	/** Tip adjustment and batch close. */
	other: number;
}

export interface LanDriverDeps {
	WebSocketImpl?: SocketFactory;
	logger?: LanLogger;
	/** The page's URL, to choose direct or relay; defaults to `location.href` in a browser. */
	pageUrl?: string;
	/** The browser's Local Network Access, read before the driver is made (`connection-path.ts`). */
	localNetwork?: LocalNetworkAccess;
	/**
	 * Watches Local Network Access while connected; when the path it allows differs from this
	 * driver's, the driver asks to be made anew (a `replace` event). Returns the unsubscribe.
	 */
	watchLocalNetwork?: (changed: (access: LocalNetworkAccess) => void) => () => void;
	/**
	 * This device's token (`pos.device`), which the POS server's relay requires. Only sent in relay
	 * mode, as a WebSocket subprotocol (`relay-protocol.ts`); never to a terminal directly.
	 */
	relayToken?: string;
	/**
	 * The signed-in staff member's session token, which the relay also requires; asked at every
	 * (re)connect. Relay mode only, like `relayToken`.
	 */
	relaySession?: () => string | null | undefined;
	timeouts?: Partial<LanTimeouts>;
	heartbeatMs?: number;
	reconnect?: Partial<ReconnectOptions>;
	connectTimeoutMs?: number;
}

export interface LanSaleRequest extends SaleRequest {
	/** WiseCashier fuel lines, as `fuelLines`; their amounts must add up to `amount`. */
	forecourt?: ForecourtLine[];
}

export interface CashbackSaleRequest extends SaleRequest {
	cashback: number;
}

export type { BatchCloseResult, PreAuthCompleteRequest, TipAdjustRequest };

export type TestConnectionReason =
	'unreachable' | 'refused' | 'mixed_content' | 'wrong_app_id' | 'timeout';

export interface TestConnectionResult {
	ok: boolean;
	reason?: TestConnectionReason;
	message: string;
}

type InDoubt = QueryRequest;

function pageHref(explicit: string | undefined): string | undefined {
	if (explicit !== undefined) return explicit;
	const location = (globalThis as { location?: { href?: string } }).location;
	return location?.href;
}

/** Subprotocols carrying the device token and staff session, for relay connections only. */
function relayOnly(
	mode: ConnectionMode,
	token: string | undefined,
	session: () => string | null | undefined = () => undefined
): (() => string[]) | undefined {
	return mode.mode === 'relay' && token ? () => relayProtocols(token, session()) : undefined;
}

function parseParams(params: unknown): LanParams {
	const parsed = lanParamsSchema.safeParse(params);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new TerminalError(
			'bad_request',
			`Terminal settings: ${issue?.path.join('.')} ${issue?.message}`,
			false
		);
	}
	return parsed.data;
}

export class CodePayLanDriver implements TerminalDriver {
	readonly id: string;
	readonly rail = 'codepay-lan' as const;
	readonly capabilities: TerminalCapabilities;
	readonly params: LanParams;
	readonly connection: ConnectionMode;
	readonly #currency: string;
	readonly #client: CodePayLanClient;
	readonly #timeouts: LanTimeouts;
	readonly #listeners = new Set<(event: TerminalEvent) => void>();
	readonly #inDoubt = new Map<string, InDoubt>();
	/** Last status reported per order, so a result told twice (re-delivery and query) is told once. */
	readonly #reported = new Map<string, Outcome['status']>();
	/** Results of in-doubt orders learned after the fact: a retry of the attempt gets this answer. */
	readonly #learned = new Map<string, Outcome>();
	/** The connection each order of this driver went out on (`CodePayLanClient.connection`). */
	readonly #carriedBy = new Map<string, number>();
	#reconciling: Promise<void> | undefined;
	readonly #pageUrl: string | undefined;
	readonly #watchLocalNetwork: LanDriverDeps['watchLocalNetwork'];
	#unwatch: (() => void) | undefined;

	constructor(
		config: Pick<TerminalConfig, 'id' | 'currency' | 'params'>,
		deps: LanDriverDeps = {}
	) {
		this.id = config.id;
		this.#currency = config.currency;
		this.params = parseParams(config.params);
		this.capabilities = {
			tipOnTerminal: this.params.profile === 'codepay',
			refund: true,
			partialRefund: true,
			void: true,
			receipts: true,
			batchClose: true,
			tipAdjust: true,
			// Sale with cashback is `trans_type` 11 (NOTES.md §1); fuel lines are WiseCashier's
			// `forecourt_data`.
			cashback: true,
			fuelLines: this.params.profile === 'wisecashier',
			preAuth: true
		};
		const { saleTimeoutSeconds: sale, queryTimeoutSeconds: query } = this.params;
		this.#timeouts = {
			sale: sale ? sale * 1000 : 180_000,
			query: query ? query * 1000 : 60_000,
			other: 60_000,
			...deps.timeouts
		};
		this.#pageUrl = pageHref(deps.pageUrl);
		this.#watchLocalNetwork = deps.watchLocalNetwork;
		this.connection = this.#path(deps.localNetwork);
		this.#client = new CodePayLanClient({
			url: this.connection.url,
			appId: this.params.appId,
			WebSocketImpl: deps.WebSocketImpl,
			protocols: relayOnly(this.connection, deps.relayToken, deps.relaySession),
			relayed: this.connection.mode === 'relay',
			logger: deps.logger,
			heartbeatMs: deps.heartbeatMs,
			reconnect: deps.reconnect,
			connectTimeoutMs: deps.connectTimeoutMs
		});
		this.#client.on((event) => this.#onClientEvent(event));
	}

	status(): TerminalStatus {
		return this.#client.status;
	}

	connect(): Promise<void> {
		this.#unwatch ??= this.#watchLocalNetwork?.((access) => {
			const now = this.#path(access);
			if (now.url !== this.connection.url) this.#emit({ type: 'replace', reason: now.why });
		});
		return this.#client.connect();
	}

	disconnect(): Promise<void> {
		this.#unwatch?.();
		this.#unwatch = undefined;
		return this.#client.disconnect();
	}

	#path(access: LocalNetworkAccess | undefined): ConnectionMode {
		return connectionMode(
			this.#pageUrl,
			{
				terminalId: this.id,
				host: this.params.host,
				port: this.params.port,
				relayUrl: this.params.relayUrl,
				relayOnly: this.params.relayOnly
			},
			access
		);
	}

	on(listener: (event: TerminalEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Orders whose result is not known yet (sent, then cut off); reconciled after a reconnect. */
	inDoubt(): QueryRequest[] {
		return [...this.#inDoubt.values()];
	}

	sale(request: LanSaleRequest): Promise<Outcome> {
		const forecourt = request.fuelLines ?? request.forecourt;
		if (request.cashback !== undefined && request.cashback > 0) {
			if (forecourt?.length) {
				return Promise.reject(
					new TerminalError('unsupported', 'A fuel sale cannot give cashback', false)
				);
			}
			return this.saleWithCashback({ ...request, cashback: request.cashback });
		}
		const onScreenTip = request.tipOnTerminal ?? this.params.tipMode === 'terminal';
		if (onScreenTip && !this.capabilities.tipOnTerminal) {
			return Promise.reject(
				new TerminalError('unsupported', 'This terminal cannot take tips on screen', false)
			);
		}
		return this.#card(
			{
				...this.#saleOptions(),
				transType: TRANS_TYPE.sale,
				merchantOrderNo: request.merchantOrderNo,
				amount: request.amount,
				tip: request.tip,
				currency: request.currency,
				description: request.description,
				onScreenTip: onScreenTip || undefined,
				forecourt
			},
			'sale'
		);
	}

	saleWithCashback(request: CashbackSaleRequest): Promise<Outcome> {
		return this.#card(
			{
				...this.#saleOptions(),
				transType: TRANS_TYPE.saleWithCashback,
				merchantOrderNo: request.merchantOrderNo,
				amount: request.amount,
				tip: request.tip,
				cashback: request.cashback,
				currency: request.currency,
				description: request.description
			},
			'sale'
		);
	}

	refund(request: RefundRequest): Promise<Outcome> {
		return this.#reversal(TRANS_TYPE.refund, request, 'refund');
	}

	void(request: VoidRequest): Promise<Outcome> {
		return this.#reversal(TRANS_TYPE.void, request, 'void');
	}

	preAuth(request: SaleRequest): Promise<Outcome> {
		return this.#card(
			{
				...this.#saleOptions(),
				transType: TRANS_TYPE.preAuth,
				merchantOrderNo: request.merchantOrderNo,
				amount: request.amount,
				currency: request.currency,
				description: request.description
			},
			'sale'
		);
	}

	preAuthComplete(request: PreAuthCompleteRequest): Promise<Outcome> {
		return this.#card(
			{
				...this.#common(),
				transType: TRANS_TYPE.preAuthCompletion,
				merchantOrderNo: request.merchantOrderNo,
				origMerchantOrderNo: request.origMerchantOrderNo,
				amount: request.amount,
				currency: request.currency
			},
			'sale'
		);
	}

	preAuthCancel(request: PreAuthCompleteRequest): Promise<Outcome> {
		return this.#card(
			{
				...this.#common(),
				transType: TRANS_TYPE.preAuthCancel,
				merchantOrderNo: request.merchantOrderNo,
				origMerchantOrderNo: request.origMerchantOrderNo,
				amount: request.amount,
				currency: request.currency,
				requireTerminalAuth: this.params.requireTerminalAuth || undefined
			},
			'void'
		);
	}

	async query(request: QueryRequest): Promise<Outcome> {
		const biz = buildOrderRefBiz(request.merchantOrderNo);
		const asked = this.#client.connection;
		const response = await this.#client.request(TOPIC.query, biz, {
			timeoutMs: this.#timeouts.query,
			merchantOrderNo: request.merchantOrderNo
		});
		const outcome = notFoundOutcome(
			paymentOutcome(this.#expectPayment(response), request.currency),
			this.#carriedBy.get(request.merchantOrderNo),
			asked,
			this.params.confirmOnTerminal
		);
		if (outcome.status !== 'unknown') this.#resolved(request.merchantOrderNo, outcome, false);
		return outcome;
	}

	/** `ecrhub.pay.close`: stop the operation waiting for a card. The sale itself then settles. */
	async cancel(merchantOrderNo: string): Promise<void> {
		const biz = buildOrderRefBiz(merchantOrderNo);
		const response = await this.#client.request(TOPIC.close, biz, {
			timeoutMs: this.#timeouts.query,
			merchantOrderNo
		});
		if (!isSuccess(response.response_code)) {
			throw new TerminalError(
				'protocol',
				response.response_msg || `The terminal refused to cancel (code ${response.response_code})`,
				false
			);
		}
	}

	async tipAdjust(request: TipAdjustRequest): Promise<Outcome> {
		const biz = buildTipAdjustBiz(request.merchantOrderNo, request.tip, request.currency);
		const response = await this.#client.request(TOPIC.tipAdjust, biz, {
			timeoutMs: this.#timeouts.other,
			merchantOrderNo: request.merchantOrderNo
		});
		if (response.topic !== TOPIC.tipAdjust) throw protocolError(response);
		return tipAdjustOutcome(response, request.currency);
	}

	async batchClose(): Promise<BatchCloseResult> {
		const response = await this.#client.request(
			TOPIC.batchClose,
			{},
			{ timeoutMs: this.#timeouts.other }
		);
		if (response.topic !== TOPIC.batchClose) throw protocolError(response);
		const biz = response.biz_data;
		const result: BatchCloseResult = {
			closed: isSuccess(response.response_code),
			code: response.response_code
		};
		if (response.response_msg) result.message = response.response_msg;
		if (biz?.batch_no) result.batchNo = biz.batch_no;
		if (biz?.total_count !== undefined) result.count = Number(biz.total_count);
		if (biz?.total_amount !== undefined) {
			const total = fromWireAmount(biz.total_amount, this.#currency);
			if (total !== undefined) result.total = total;
		}
		return result;
	}

	static testConnection(
		params: Record<string, unknown>,
		options?: TestConnectionOptions
	): Promise<TestConnectionResult> {
		return testConnection(params, options);
	}

	// -------------------------------------------------------------------------------------------

	#common(): Partial<PosOrder> {
		return {
			receiptPrintMode: this.params.receiptPrintMode,
			confirmOnTerminal: this.params.confirmOnTerminal || undefined
		};
	}

	#saleOptions(): Partial<PosOrder> {
		return {
			...this.#common(),
			onScreenSignature: this.params.profile === 'codepay' ? this.params.signature : undefined
		};
	}

	#reversal(
		transType: TransType,
		request: RefundRequest | VoidRequest,
		kind: 'refund' | 'void'
	): Promise<Outcome> {
		return this.#card(
			{
				...this.#common(),
				transType,
				merchantOrderNo: request.merchantOrderNo,
				origMerchantOrderNo: request.origMerchantOrderNo,
				amount: request.amount,
				currency: request.currency,
				requireTerminalAuth: this.params.requireTerminalAuth || undefined
			},
			kind
		);
	}

	/** One `ecrhub.pay.order`, with the in-doubt bookkeeping around it. */
	async #card(order: PosOrder, kind: QueryRequest['kind']): Promise<Outcome> {
		// Validate before anything else, so a bad request never waits on the network.
		const biz = buildOrderBiz(order, this.params.profile);
		if (this.#reconciling) await this.#reconciling;
		const learned = this.#learned.get(order.merchantOrderNo);
		if (learned) return learned;
		if (this.#inDoubt.has(order.merchantOrderNo)) {
			// The same attempt again after a cut-off: ask, never charge twice.
			const known = await this.query(this.#inDoubt.get(order.merchantOrderNo) as QueryRequest);
			if (known.status !== 'unknown') return known;
			throw new TerminalError(
				'busy',
				'The terminal has not reported the earlier attempt with this order number yet',
				false
			);
		}
		await this.#refuseWhileInDoubt();
		// Which connection carries it: a "not found" asked on a later one is the terminal's last word.
		remember(this.#carriedBy, order.merchantOrderNo, this.#client.connection ?? 0);
		let response: InboundMessage;
		try {
			response = await this.#client.request(TOPIC.order, biz, {
				timeoutMs: this.#timeouts.sale,
				exclusive: true,
				merchantOrderNo: order.merchantOrderNo
			});
		} catch (error) {
			if (error instanceof TerminalError && error.mayHaveReachedTerminal) {
				this.#inDoubt.set(order.merchantOrderNo, {
					merchantOrderNo: order.merchantOrderNo,
					kind,
					amount: order.amount,
					currency: order.currency
				});
			}
			throw error;
		}
		const outcome = paymentOutcome(this.#expectPayment(response), order.currency);
		remember(this.#reported, order.merchantOrderNo, outcome.status);
		return outcome;
	}

	/**
	 * A terminal runs one card operation at a time, and one whose result is unknown may still be
	 * waiting for the card: ask about those first, and send nothing new while the terminal says one
	 * is still in progress (or cannot say). One the terminal does not know never reached it: it
	 * does not hold up the next sale, and stays in doubt for the journal's reconciliation.
	 */
	async #refuseWhileInDoubt(): Promise<void> {
		for (const doubt of [...this.#inDoubt.values()]) {
			let working = true;
			try {
				const response = this.#expectPayment(
					await this.#client.request(TOPIC.query, buildOrderRefBiz(doubt.merchantOrderNo), {
						timeoutMs: this.#timeouts.query,
						merchantOrderNo: doubt.merchantOrderNo
					})
				);
				const outcome = paymentOutcome(response, doubt.currency);
				if (outcome.status !== 'unknown') {
					this.#resolved(doubt.merchantOrderNo, outcome, false);
					continue;
				}
				const status = response.biz_data?.trans_status;
				working =
					isSuccess(response.response_code) &&
					(status === TRANS_STATUS.inProgress || status === TRANS_STATUS.created);
			} catch (error) {
				if (error instanceof TerminalError && error.code === 'not_connected') throw error;
				// No answer: it may still be working.
			}
			if (working) {
				throw new TerminalError(
					'busy',
					`The terminal has not reported the result of an earlier payment (${doubt.merchantOrderNo}) yet. Wait for it, or cancel it on the terminal.`,
					false
				);
			}
		}
	}

	#expectPayment(response: InboundMessage): PaymentMessage {
		if (response.topic !== TOPIC.order && response.topic !== TOPIC.query) {
			throw protocolError(response);
		}
		return response;
	}

	#emit(event: TerminalEvent): void {
		for (const listener of this.#listeners) listener(event);
	}

	/** A result learned outside the call that asked for it. */
	#resolved(merchantOrderNo: string, outcome: Outcome, announce: boolean): void {
		const wasInDoubt = this.#inDoubt.delete(merchantOrderNo);
		if (wasInDoubt) remember(this.#learned, merchantOrderNo, outcome);
		if (this.#reported.get(merchantOrderNo) === outcome.status) return;
		remember(this.#reported, merchantOrderNo, outcome.status);
		if (announce || wasInDoubt) this.#emit({ type: 'result', merchantOrderNo, outcome });
	}

	#onClientEvent(event: ClientEvent): void {
		if (event.type === 'status') {
			this.#emit({ type: 'status', status: event.status, detail: event.detail });
		} else if (event.type === 'unsolicited') {
			const orderNo = event.message.biz_data?.merchant_order_no;
			if (!orderNo) return;
			const currency = this.#inDoubt.get(orderNo)?.currency ?? this.#currency;
			this.#resolved(orderNo, paymentOutcome(event.message, currency), true);
		} else if (event.type === 'reconnected' && this.#inDoubt.size > 0 && !this.#reconciling) {
			this.#reconciling = this.#reconcile().finally(() => (this.#reconciling = undefined));
		}
	}

	/** After a reconnect: ask about every in-doubt order before sending anything new. */
	async #reconcile(): Promise<void> {
		for (const doubt of [...this.#inDoubt.values()]) {
			if (!this.#inDoubt.has(doubt.merchantOrderNo)) continue; // re-delivered meanwhile
			try {
				await this.query(doubt);
			} catch {
				// Still unknown: stays in doubt for the next reconnect or the journal's reconciliation.
			}
		}
	}
}

/** Bounded memory: a till runs for months; recent orders are all that matter here. */
function remember<V>(map: Map<string, V>, key: string, value: V, limit = 200): void {
	map.delete(key);
	map.set(key, value);
	const oldest = map.keys().next().value;
	if (map.size > limit && oldest !== undefined) map.delete(oldest);
}

/**
 * A query's "order not found" (`ORDER_NOT_FOUND_CODE`), read with the connection it was asked on.
 * The terminal runs what arrives on a connection in order and keeps its orders across connections
 * (it re-delivers a result after a reconnect, NOTES.md §1). So asked on a new connection, after
 * the one that carried the order is gone (an earlier connection of this driver, or one of a page
 * that is no more: this driver never sent it), "not found" means the order never reached the
 * terminal: not charged. Asked on the connection that carried it, the order may still be on its
 * way or not yet registered: the terminal just does not know it yet. So too in terminal
 * confirmation mode, where the spec has an order wait for the terminal's confirmation (its
 * `request_id` and `merchant_order_no` "must be present" then): such an order may not be known
 * by its number yet, and "not found" proves nothing.
 *
 * Not covered: bytes of the order still in the operating system's send buffer of the old
 * connection when the page went, which TCP may yet deliver. A page killed before it sent (the
 * case of issue 9) has none.
 */
export function notFoundOutcome(
	outcome: Outcome,
	carriedOn: number | undefined,
	askedOn: number | undefined,
	confirmationMode = false
): Outcome {
	if (outcome.status !== 'unknown' || outcome.code !== ORDER_NOT_FOUND_CODE) return outcome;
	const gone =
		!confirmationMode && askedOn !== undefined && (carriedOn === undefined || carriedOn < askedOn);
	return gone
		? {
				status: 'cancelled',
				code: outcome.code,
				finding: 'never_received',
				message: 'The terminal never received this payment: nothing was charged.'
			}
		: { ...outcome, finding: 'not_found' };
}

function protocolError(response: InboundMessage): TerminalError {
	return new TerminalError('protocol', `Unexpected ${response.topic} answer`, true);
}

// -----------------------------------------------------------------------------------------------
// Settings → "Test connection"

export interface TestConnectionOptions {
	WebSocketImpl?: SocketFactory;
	pageUrl?: string;
	/** A provisioned terminal's id: with `relayToken`, an https page tests it through the relay. */
	terminalId?: string;
	relayToken?: string;
	/** The signed-in staff member's session, which the relay requires too. */
	staffSession?: string | null;
	/** The browser's Local Network Access (`connection-path.ts`). */
	localNetwork?: LocalNetworkAccess;
	timeoutMs?: number;
}

/**
 * Opens a socket and sends a harmless `ecrhub.pay.query` for an order number that cannot exist:
 * any answer proves the terminal is there, and `106` says the app id is wrong (NOTES.md §1).
 */
export async function testConnection(
	params: Record<string, unknown>,
	options: TestConnectionOptions = {}
): Promise<TestConnectionResult> {
	let p: LanParams;
	try {
		p = parseParams(params);
	} catch (error) {
		return { ok: false, message: error instanceof Error ? error.message : String(error) };
	}
	const page = pageHref(options.pageUrl);
	const viaServer = Boolean(options.relayToken && options.terminalId);
	const mode = connectionMode(
		page,
		{
			terminalId: options.terminalId ?? 'test',
			host: p.host,
			port: p.port,
			relayUrl: p.relayUrl,
			relayOnly: p.relayOnly
		},
		options.localNetwork
	);
	if (mode.mode === 'relay' && !p.relayUrl && !viaServer) {
		return {
			ok: false,
			reason: 'mixed_content',
			message: `${mode.why} Only a terminal the POS server provisions can be reached through its relay; or open the POS from http://localhost on this device.`
		};
	}
	const timeoutMs = options.timeoutMs ?? 5000;
	const silent: LanLogger = { debug: () => {}, warn: () => {} };
	const client = new CodePayLanClient({
		url: mode.url,
		appId: p.appId,
		WebSocketImpl: options.WebSocketImpl,
		protocols: relayOnly(mode, options.relayToken, () => options.staffSession),
		relayed: mode.mode === 'relay',
		heartbeatMs: 0,
		connectTimeoutMs: timeoutMs,
		logger: silent
	});
	const where = mode.mode === 'relay' ? `the relay (${mode.url})` : `${p.host}:${p.port}`;
	const started = Date.now();
	try {
		await client.connect();
	} catch (error) {
		await client.disconnect();
		const text = error instanceof Error ? error.message : String(error);
		// A browser does not say why a WebSocket failed. A host that is up but has nothing on the
		// port answers at once; one that is not there takes seconds (ARP, then a timeout).
		const atOnce = Date.now() - started < REFUSED_WITHIN_MS && !/timed out/i.test(text);
		if (/ECONNREFUSED/i.test(text) || (mode.mode === 'direct' && atOnce)) {
			return {
				ok: false,
				reason: 'refused',
				message: `${where} refused the connection. Is CodePay Register open and in LAN mode?`
			};
		}
		if (/timed out|ETIMEDOUT/i.test(text)) {
			return {
				ok: false,
				reason: 'timeout',
				message: `No answer from ${where} within ${timeoutMs / 1000} s. Check the IP address and that both are on the same network.`
			};
		}
		return {
			ok: false,
			reason: 'unreachable',
			message: `Could not reach ${where}. Check the IP address, the port and the network.`
		};
	}
	try {
		const probe = `T${Date.now()}`;
		const response = await client.request(
			TOPIC.query,
			{ merchant_order_no: probe },
			{ timeoutMs, merchantOrderNo: probe }
		);
		if (response.response_code === INVALID_APP_ID_CODE) {
			return {
				ok: false,
				reason: 'wrong_app_id',
				message: `The terminal rejected app id "${p.appId}"${response.response_msg ? `: ${response.response_msg}` : ''}.`
			};
		}
		return { ok: true, message: `Connected to the terminal at ${where}.` };
	} catch (error) {
		const timedOut = error instanceof TerminalError && error.code === 'timeout';
		// A relay refusal arrives as a close code just after the socket opened: let it land.
		const refused = mode.mode === 'relay' && !timedOut ? await dropReason(client) : undefined;
		return {
			ok: false,
			reason: timedOut ? 'timeout' : 'unreachable',
			message: timedOut
				? `Connected to ${where}, but nothing answered within ${timeoutMs / 1000} s. Is it a CodePay terminal in LAN mode?`
				: refused
					? `${where}: ${refused}`
					: `The connection to ${where} closed before the terminal answered.`
		};
	} finally {
		await client.disconnect();
	}
}

/** A direct connection that fails sooner than this was refused by a host that is there. */
const REFUSED_WITHIN_MS = 1000;

/** The relay's reason for closing, waiting up to `ms` for the close to arrive. */
async function dropReason(client: CodePayLanClient, ms = 1000): Promise<string | undefined> {
	const until = Date.now() + ms;
	while (!client.dropReason && Date.now() < until) {
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	return client.dropReason;
}
