/**
 * Haojin (QFPay) terminal over USB serial (NOTES.md §3): transport → link → envelope → outcome.
 *
 * One business request is in flight at a time; the result arrives later as the terminal's own
 * message. The serial protocol has no request id, so a result is matched by the order number in
 * its `data` when it has one, else it belongs to the request in flight (see `#route`).
 */
import { toDecimalString } from '$lib/money';
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
import { PosKeyFormatError, keyFromText } from './cipher';
import { decodeResponse, encodeRequest, type Content, type HaojinResponse } from './envelope';
import { HaojinLink } from './link';
import {
	RESPCD,
	UnreadableReplyError,
	isInProgress,
	keyMismatchOutcome,
	requestError,
	toOutcome,
	type HaojinOperation
} from './outcome';
import { haojinSettings, type HaojinSettings } from './settings';
import { SerialTransport, type SerialPortLike } from './transport';

export { keyFromText } from './cipher';
export { isWebSerialSupported } from './web-serial';

/** NOTES.md §3 `func_type`. */
export const FUNC_TYPE = {
	sale: 1001,
	refund: 1002,
	printReceipt: 3001,
	printSummary: 3002,
	query: 4001,
	cancel: 5001
} as const;

export interface HaojinDriverOptions {
	/** The port, or how to find it (e.g. `grantedPort(navigator.serial)`), asked on every connect. */
	port: SerialPortLike | (() => Promise<SerialPortLike | undefined>);
	now?: () => number;
	/** How long to wait for a sale's result after the terminal acked it. */
	saleTimeoutMs?: number;
	/** The same for query, refund and print requests. */
	requestTimeoutMs?: number;
	/** How long `cancel` waits for the terminal's reply to 5001 before returning. */
	cancelReplyMs?: number;
	ackTimeoutMs?: number;
}

interface Waiting {
	operation: HaojinOperation;
	/** Order numbers its result may name; empty when any (or none) will do. */
	orderNos: readonly string[];
	/** The terminal acked the request: from now on it may be acting on it. */
	sent: boolean;
	timer: ReturnType<typeof setTimeout> | undefined;
	resolve: (response: HaojinResponse) => void;
	reject: (error: TerminalError) => void;
}

const REQUEST_TIMEOUT_MS = 30_000;
const CANCEL_REPLY_MS = 5_000;

export class HaojinUsbDriver implements TerminalDriver {
	readonly id: string;
	readonly rail = 'haojin-usb' as const;
	readonly capabilities: TerminalCapabilities = {
		tipOnTerminal: false,
		refund: true,
		partialRefund: true,
		void: false,
		receipts: true,
		batchClose: false,
		tipAdjust: false,
		reprint: true,
		printSummary: true
	};

	readonly #config: TerminalConfig;
	readonly #options: HaojinDriverOptions;
	readonly #listeners = new Set<(event: TerminalEvent) => void>();
	#settings: HaojinSettings | undefined;
	#key: CryptoKey | undefined;
	#transport: SerialTransport | undefined;
	#link: HaojinLink | undefined;
	#status: TerminalStatus = 'disconnected';
	/** The POS wants the connection (so an unplug means "reconnect when it is back"). */
	#wanted = false;
	#queue: Promise<unknown> = Promise.resolve();
	#inbox: Promise<unknown> = Promise.resolve();
	#waiting: Waiting | undefined;
	#cancelReply: (() => void) | undefined;
	/** A sale or refund whose result was lost: queried before anything else is sent. */
	#unsettled: QueryRequest | undefined;

	constructor(config: TerminalConfig, options: HaojinDriverOptions) {
		this.id = config.id;
		this.#config = config;
		this.#options = options;
	}

	status(): TerminalStatus {
		return this.#status;
	}

	on(listener: (event: TerminalEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#emit(event: TerminalEvent): void {
		for (const listener of this.#listeners) listener(event);
	}

	#setStatus(status: TerminalStatus, detail?: string): void {
		if (status === this.#status && detail === undefined) return;
		this.#status = status;
		this.#emit(
			detail === undefined ? { type: 'status', status } : { type: 'status', status, detail }
		);
	}

	// ---- connection ----------------------------------------------------------------------

	async connect(): Promise<void> {
		this.#wanted = true;
		if (this.#transport?.state === 'open') return;
		this.#setStatus(this.#status === 'reconnecting' ? 'reconnecting' : 'connecting');
		try {
			await this.#prepare();
			await this.#open();
		} catch (error) {
			this.#setStatus('disconnected', error instanceof Error ? error.message : undefined);
			throw error;
		}
	}

	async #prepare(): Promise<void> {
		if (this.#settings && this.#key) return;
		const result = haojinSettings(this.#config.params);
		if (!result.ok) throw new TerminalError('bad_request', result.message, false);
		try {
			this.#key = await keyFromText(result.settings.posKey, result.settings.keyMode);
		} catch (error) {
			if (error instanceof PosKeyFormatError) throw new TerminalError('auth', error.message, false);
			throw error;
		}
		this.#settings = result.settings;
	}

	async #open(): Promise<void> {
		const settings = this.#settings as HaojinSettings;
		if (!this.#transport) {
			const source = this.#options.port;
			const port = typeof source === 'function' ? await source() : source;
			if (!port) {
				throw new TerminalError(
					'not_connected',
					'No USB terminal has been chosen yet: pick the terminal’s port in Settings.',
					false
				);
			}
			this.#transport = new SerialTransport(
				port,
				{
					onData: (chunk) => this.#link?.receive(chunk),
					onLost: (reason) => this.#lost(reason),
					onConnect: () => this.#replugged()
				},
				{ baudRate: settings.baudRate }
			);
		}
		const transport = this.#transport;
		this.#link = new HaojinLink({
			write: (bytes) => transport.write(bytes),
			onMessage: (text) => this.#received(text),
			ackTimeoutMs: this.#options.ackTimeoutMs,
			fragmentLengthMode: settings.fragmentLengthMode,
			now: this.#options.now
		});
		await transport.open();
		this.#setStatus('ready');
		// NOTES.md §3 / the journal's rule: after a lost result, ask before sending anything else.
		if (this.#unsettled) void this.#enqueue(async () => undefined).catch(() => undefined);
	}

	#lost(reason: string): void {
		this.#link?.fail(reason);
		// A send still in progress is failed by the link with what it knows about the bytes written.
		const waiting = this.#waiting;
		if (waiting?.sent) {
			this.#finish(waiting);
			waiting.reject(
				new TerminalError(
					'connection_lost',
					`${reason} while waiting for the ${waiting.operation} result; it will be checked once ` +
						'the terminal is back.',
					true
				)
			);
		}
		this.#setStatus(this.#wanted ? 'reconnecting' : 'disconnected', reason);
	}

	#replugged(): void {
		if (!this.#wanted || this.#transport?.state === 'open') return;
		this.#open().catch((error: unknown) => {
			this.#setStatus('reconnecting', error instanceof Error ? error.message : undefined);
		});
	}

	async disconnect(): Promise<void> {
		this.#wanted = false;
		const transport = this.#transport;
		this.#transport = undefined;
		this.#lost('Disconnected from the terminal');
		await transport?.dispose();
		this.#setStatus('disconnected');
	}

	// ---- requests --------------------------------------------------------------------------

	/**
	 * Runs one operation at a time, after settling any lost result first. One that moves money
	 * (`charges`) is refused while the terminal says it is still working on an earlier one.
	 */
	#enqueue<T>(operation: () => Promise<T>, charges = false): Promise<T> {
		const run = this.#queue.then(async () => {
			const working = await this.#reconcile();
			if (working && charges) {
				throw new TerminalError(
					'busy',
					`The terminal has not finished an earlier payment (${working}) yet. Wait for it, or cancel it on the terminal.`,
					false
				);
			}
			return operation();
		});
		this.#queue = run.catch(() => undefined);
		return run;
	}

	/** `#enqueue` for a sale or refund. */
	#enqueueCharge<T>(operation: () => Promise<T>): Promise<T> {
		return this.#enqueue(operation, true);
	}

	/** Asks about a lost result; returns its order number while the terminal is still on it. */
	async #reconcile(): Promise<string | undefined> {
		const unsettled = this.#unsettled;
		if (!unsettled || !this.#ready()) return undefined;
		const outcome = await this.#query(unsettled);
		if (outcome.status === 'unknown' && isInProgress(outcome.code)) {
			return unsettled.merchantOrderNo;
		}
		// The terminal answered; whatever it said, the journal owns further reconciliation.
		if (this.#unsettled === unsettled) this.#unsettled = undefined;
		if (outcome.status !== 'unknown') {
			this.#emit({ type: 'result', merchantOrderNo: unsettled.merchantOrderNo, outcome });
		}
		return undefined;
	}

	#ready(): boolean {
		return this.#transport?.state === 'open' && this.#link !== undefined;
	}

	#notConnected(): TerminalError {
		return new TerminalError(
			'not_connected',
			this.#status === 'reconnecting'
				? 'The terminal is unplugged or switched off: reconnect its USB cable.'
				: 'The terminal is not connected.',
			false
		);
	}

	async #encode(content: Content): Promise<string> {
		const settings = this.#settings as HaojinSettings;
		try {
			return await encodeRequest(content, settings.posKey, this.#key as CryptoKey);
		} catch (error) {
			if (error instanceof RangeError) throw new TerminalError('bad_request', error.message, false);
			throw error;
		}
	}

	#finish(waiting: Waiting): void {
		clearTimeout(waiting.timer);
		if (this.#waiting === waiting) this.#waiting = undefined;
	}

	/** Sends one request and waits for its response (ack first, then the result). */
	async #request(
		operation: HaojinOperation,
		content: Content,
		orderNos: readonly string[],
		timeoutMs: number
	): Promise<HaojinResponse> {
		const link = this.#link;
		if (!link || !this.#ready()) throw this.#notConnected();
		const text = await this.#encode(content);
		this.#setStatus('busy');
		try {
			return await new Promise<HaojinResponse>((resolve, reject) => {
				const waiting: Waiting = {
					operation,
					orderNos,
					sent: false,
					timer: undefined,
					resolve,
					reject
				};
				this.#waiting = waiting;
				link.send(text).then(
					() => {
						if (this.#waiting !== waiting) return;
						waiting.sent = true;
						waiting.timer = setTimeout(() => {
							this.#finish(waiting);
							reject(
								new TerminalError(
									'timeout',
									`The terminal acknowledged the ${operation} but sent no result.`,
									true
								)
							);
						}, timeoutMs);
					},
					(error: TerminalError) => {
						if (this.#waiting !== waiting) return;
						this.#finish(waiting);
						reject(error);
					}
				);
			});
		} finally {
			if (this.#ready()) this.#setStatus('ready');
		}
	}

	#received(text: string): void {
		this.#inbox = this.#inbox.then(() => this.#route(text)).catch(() => undefined);
	}

	/**
	 * Matches a message to its request. A result naming an order goes to the request for that
	 * order, or is announced as an unsolicited result. One naming none belongs to a pending cancel
	 * (unless it says "cancelled by user", which is the sale's own answer), else to the request in
	 * flight. A cancelled sale is therefore only ever concluded from the sale's own answer.
	 */
	async #route(text: string): Promise<void> {
		const decoded = await decodeResponse(text, this.#key as CryptoKey);
		const waiting = this.#waiting;
		if (!decoded.ok) {
			if (waiting) {
				this.#finish(waiting);
				waiting.reject(
					decoded.code === 'undecryptable'
						? new UnreadableReplyError(decoded.message)
						: new TerminalError('protocol', decoded.message, true)
				);
			}
			return;
		}
		const response = decoded.response;
		const named = response.data?.out_trade_no || response.data?.orderId;
		// A request about no order (the day's summary) is not answered by a result naming one: that
		// is a late sale result, which must reach the journal.
		const mine =
			!waiting || (waiting.orderNos.length === 0 ? !named : waiting.orderNos.includes(named ?? ''));
		if (named && (!waiting || !mine)) {
			const outcome = toOutcome(response, 'query', this.#outcomeContext());
			if (outcome.status !== 'unknown') {
				this.#emit({ type: 'result', merchantOrderNo: named, outcome });
			}
			return;
		}
		if (!named && this.#cancelReply && response.respcd !== RESPCD.userCancelled) {
			this.#cancelReply();
			return;
		}
		if (waiting) {
			this.#finish(waiting);
			waiting.resolve(response);
		}
	}

	#outcomeContext(): { currency: string; txamtUnit: HaojinSettings['txamtUnit'] } {
		return {
			currency: this.#config.currency,
			txamtUnit: this.#settings?.txamtUnit ?? 'minor'
		};
	}

	#toOutcome(response: HaojinResponse, operation: HaojinOperation): Outcome {
		const error = requestError(response, operation);
		if (error) throw error;
		return toOutcome(response, operation, this.#outcomeContext());
	}

	/** A sale or refund that may have happened without us hearing the result. */
	async #money(
		query: QueryRequest,
		operation: 'sale' | 'refund',
		content: Content,
		orderNos: readonly string[],
		timeoutMs: number
	): Promise<Outcome> {
		try {
			const response = await this.#request(operation, content, orderNos, timeoutMs);
			return this.#toOutcome(response, operation);
		} catch (error) {
			if (error instanceof TerminalError && error.mayHaveReachedTerminal) {
				this.#unsettled = query;
			}
			throw error;
		}
	}

	sale(request: SaleRequest): Promise<Outcome> {
		return this.#enqueueCharge(async () => {
			const settings = this.#settings;
			if (!settings || !this.#ready()) throw this.#notConnected();
			const total = request.amount + request.tip;
			const content: Content = {
				func_type: FUNC_TYPE.sale,
				// NOTES.md §3: `amt` is major units, sent as a bare number ("10.1").
				amt: Number(toDecimalString(total, request.currency)),
				channel: settings.channel,
				out_trade_no: request.merchantOrderNo,
				camera_id: settings.cameraId,
				scan_type: settings.scanType,
				wait_card_timeout: settings.waitCardTimeoutS,
				moveToBack: settings.moveToBack
			};
			const query: QueryRequest = {
				merchantOrderNo: request.merchantOrderNo,
				kind: 'sale',
				amount: total,
				currency: request.currency
			};
			const timeout = this.#options.saleTimeoutMs ?? (settings.waitCardTimeoutS + 60) * 1000;
			return this.#money(query, 'sale', content, [request.merchantOrderNo], timeout);
		});
	}

	/** Refund 1002. `full` leaves out `refund_amount` (the terminal refunds what is left). */
	refund(request: RefundRequest, options: { full?: boolean } = {}): Promise<Outcome> {
		return this.#enqueueCharge(async () => {
			const settings = this.#settings;
			if (!settings || !this.#ready()) throw this.#notConnected();
			const orderId =
				settings.refundOrderId === 'reference' && request.origReference
					? request.origReference
					: request.origMerchantOrderNo;
			const content: Content = {
				func_type: FUNC_TYPE.refund,
				orderId,
				refund_amount: options.full ? undefined : toDecimalString(request.amount, request.currency),
				allow_modify_flag: 0,
				moveToBack: settings.moveToBack
			};
			const query: QueryRequest = {
				merchantOrderNo: request.merchantOrderNo,
				kind: 'refund',
				amount: request.amount,
				currency: request.currency
			};
			const timeout = this.#options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
			const names = [orderId, request.origMerchantOrderNo, request.merchantOrderNo];
			return this.#money(query, 'refund', content, names, timeout);
		});
	}

	async void(_request: VoidRequest): Promise<Outcome> {
		throw new TerminalError(
			'unsupported',
			'Haojin terminals have no separate void: refund the sale instead.',
			false
		);
	}

	query(request: QueryRequest): Promise<Outcome> {
		return this.#enqueue(() => this.#query(request));
	}

	async #query(request: QueryRequest): Promise<Outcome> {
		if (request.kind !== 'sale') {
			// The refund request carries no order number of ours, so the terminal cannot find it by one.
			return {
				status: 'unknown',
				message: 'Haojin terminals look up sales only: check the refund in the terminal’s list.'
			};
		}
		const timeout = this.#options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
		const content: Content = { func_type: FUNC_TYPE.query, orderId: request.merchantOrderNo };
		let response: HaojinResponse;
		try {
			response = await this.#request('query', content, [request.merchantOrderNo], timeout);
		} catch (error) {
			if (error instanceof UnreadableReplyError) return keyMismatchOutcome();
			throw error;
		}
		return this.#toOutcome(response, 'query');
	}

	/**
	 * 4001 by the terminal's reference (`syssn`): the vendor page names the query's `orderId` "the
	 * QFPay transaction number" in one table (*unconfirmed*, as for refunds' `refundOrderId`). A
	 * sale found under it that names another order number is not this attempt's.
	 */
	queryByReference(reference: string, request: QueryRequest): Promise<Outcome> {
		return this.#enqueue(async () => {
			const timeout = this.#options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
			const content: Content = { func_type: FUNC_TYPE.query, orderId: reference };
			const names = [reference, request.merchantOrderNo];
			const response = await this.#request('query', content, names, timeout);
			const named = response.data?.out_trade_no;
			if (named && named !== request.merchantOrderNo) {
				return {
					status: 'unknown',
					finding: 'not_found',
					message: `The terminal's transaction ${reference} is another sale (${named}).`
				};
			}
			return this.#toOutcome(response, 'query');
		});
	}

	/**
	 * Sends 5001 "cancel the pending request" alongside the sale in flight and waits briefly for
	 * the terminal's reply. The sale itself settles from its own answer (6001 when cancelled).
	 */
	async cancel(_merchantOrderNo: string): Promise<void> {
		const link = this.#link;
		if (!link || !this.#ready()) throw this.#notConnected();
		const text = await this.#encode({ func_type: FUNC_TYPE.cancel });
		let timer: ReturnType<typeof setTimeout> | undefined;
		const replied = new Promise<void>((resolve) => {
			this.#cancelReply = resolve;
			timer = setTimeout(resolve, this.#options.cancelReplyMs ?? CANCEL_REPLY_MS);
		});
		try {
			await link.send(text);
			await replied;
		} finally {
			clearTimeout(timer);
			this.#cancelReply = undefined;
		}
	}

	/** 3001: print the receipt of an order again. */
	printReceipt(merchantOrderNo: string): Promise<void> {
		return this.#print({ func_type: FUNC_TYPE.printReceipt, orderId: merchantOrderNo }, [
			merchantOrderNo
		]);
	}

	/** 3002: print the transaction summary. */
	printSummary(): Promise<void> {
		return this.#print({ func_type: FUNC_TYPE.printSummary }, []);
	}

	#print(content: Content, orderNos: readonly string[]): Promise<void> {
		return this.#enqueue(async () => {
			const timeout = this.#options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
			const response = await this.#request('print', content, orderNos, timeout);
			const error = requestError(response, 'print');
			if (error) throw error;
			if (response.respcd !== RESPCD.ok) {
				const detail = response.resperr || response.respmsg || response.respcd;
				throw new TerminalError('bad_request', `The terminal could not print: ${detail}`, false);
			}
		});
	}
}
