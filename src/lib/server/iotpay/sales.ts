/**
 * The server's side of an IOT Pay `CC_PAX` sale (issue 12, NOTES.md §4). The server, not the
 * browser, owns the call: a till starts a sale it has journaled and then asks for its result, so a
 * till that reloads or loses the server meanwhile gets the result when it comes back.
 *
 * - The sale is stored (`sent`) BEFORE `create_order` goes out; only the caller whose insert made
 *   the row sends it, so there is never a second `create_order` for one merchant order number, across
 *   requests, instances on one PostgreSQL and restarts.
 * - `create_order` is held open for `createTimeoutMs`. On a timeout or a broken connection the sale
 *   becomes `unknown` and `query_order` is asked every `pollEveryMs` for `pollForMs`; status 2 or
 *   3 approves it, 4 or 9 cancels it; otherwise it stays `unknown` and each later look at it (the
 *   till's reconcile) asks `query_order` once more. Never `create_order` again.
 */
import type { TerminalConfig } from '$lib/terminals/driver';
import type { IotPaySale, IotPaySaleUpdate } from '../store/iotpay-store';
import type { Store } from '../store/types';
import { GatewayError, post } from './client';
import { readResponse, type Reading } from './outcome';
import type { IotPaySettings, SettingsResult } from './settings';
import { wireAmount } from './wire';

/** NOTES.md §4: `notifyUrl` must be this for `CC_PAX`; `extra` must not be empty. */
const CC_PAX_NOTIFY_URL = 'http://localhost';
const CC_PAX_EXTRA = '{"pos_flag":"yes"}';

export interface StartSale {
	merchantOrderNo: string;
	deviceId: string;
	attemptId: string | null;
	terminal: TerminalConfig;
	amount: number;
	tip: number;
	currency: string;
	description: string;
}

export class IotPayNotConfiguredError extends Error {
	readonly code = 'iotpay_not_configured';
}

export interface IotPaySalesOptions {
	settings: SettingsResult;
	store: Store;
	now: () => number;
	fetch?: typeof fetch;
	log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How often a long poll reads the store for a sale another instance holds. */
const STORE_WAIT_EVERY_MS = 500;

export class IotPaySales {
	readonly #options: IotPaySalesOptions;
	/** Sales this process is working on (holding `create_order`, or polling). */
	readonly #running = new Map<string, Promise<IotPaySale | null>>();
	/** When this process last asked `query_order` about a sale on a till's behalf. */
	readonly #lastAsked = new Map<string, number>();

	constructor(options: IotPaySalesOptions) {
		this.#options = options;
	}

	/** The settings, or the error that names what to set. */
	get settings(): IotPaySettings {
		const result = this.#options.settings;
		if (!result.ok) throw new IotPayNotConfiguredError(result.message);
		return result.settings;
	}

	/** The fields of `create_order` (unsigned), every value a string. */
	orderFields(sale: StartSale): Record<string, string> {
		const settings = this.settings;
		const params = sale.terminal.params;
		return {
			mchId: settings.mchId,
			mchOrderNo: sale.merchantOrderNo,
			channelId: 'CC_PAX',
			currency: sale.currency,
			amount: wireAmount(sale.amount),
			tip: wireAmount(sale.tip),
			clientIp: settings.clientIp,
			device: String(params.deviceName ?? ''),
			notifyUrl: CC_PAX_NOTIFY_URL,
			subject: sale.description.slice(0, 64),
			body: sale.description.slice(0, 255),
			extra: CC_PAX_EXTRA,
			jobNo: String(params.jobNo ?? '')
		};
	}

	/**
	 * Records the sale and, when this call recorded it, sends `create_order` in the background.
	 * A sale already recorded is answered as it stands (never sent again).
	 */
	async start(sale: StartSale): Promise<{ created: boolean; sale: IotPaySale }> {
		const request = this.orderFields(sale);
		const begun = await this.#options.store.beginIotPaySale({
			merchantOrderNo: sale.merchantOrderNo,
			deviceId: sale.deviceId,
			terminalId: sale.terminal.id,
			attemptId: sale.attemptId,
			amount: sale.amount,
			tip: sale.tip,
			currency: sale.currency,
			request,
			now: this.#options.now()
		});
		if (begun.created) this.#track(sale.merchantOrderNo, this.#run(begun.sale, request));
		return begun;
	}

	/**
	 * Waits up to `ms` for a sale that is `sent` to move on, then answers it as stored: on this
	 * process's own work when it holds the call, else (another instance holds it) by reading the
	 * store every `STORE_WAIT_EVERY_MS`.
	 */
	async wait(merchantOrderNo: string, ms: number): Promise<IotPaySale | null> {
		const store = this.#options.store;
		const until = Date.now() + ms;
		const running = this.#running.get(merchantOrderNo);
		if (running && ms > 0) {
			let timer: ReturnType<typeof setTimeout> | undefined;
			await Promise.race([
				running.catch(() => null),
				new Promise((resolve) => (timer = setTimeout(resolve, ms)))
			]);
			clearTimeout(timer);
			return store.getIotPaySale(merchantOrderNo);
		}
		let sale = await store.getIotPaySale(merchantOrderNo);
		while (sale?.state === 'sent' && Date.now() < until) {
			await sleep(Math.min(STORE_WAIT_EVERY_MS, Math.max(0, until - Date.now())));
			sale = await store.getIotPaySale(merchantOrderNo);
		}
		return sale;
	}

	/**
	 * A till asks about a sale. One that is not settled and that this process is not working on
	 * (another instance holds it, or the server restarted) is asked about with `query_order`, at
	 * most once per `pollEveryMs`. An order number the server never saw is closed (`refused`):
	 * nothing was charged, and a request for it arriving late will not start it.
	 */
	async lookUp(
		merchantOrderNo: string,
		caller: { deviceId: string; terminalId: string }
	): Promise<IotPaySale> {
		const store = this.#options.store;
		const sale = await store.getIotPaySale(merchantOrderNo);
		if (!sale) {
			const closed = await store.beginIotPaySale({
				merchantOrderNo,
				deviceId: caller.deviceId,
				terminalId: caller.terminalId,
				attemptId: null,
				amount: 0,
				tip: 0,
				currency: '',
				request: {},
				now: this.#options.now(),
				state: 'refused',
				message: 'The POS server never received this payment: nothing was charged.'
			});
			return closed.sale;
		}
		if (sale.state !== 'sent' && sale.state !== 'unknown') return sale;
		if (this.#running.has(merchantOrderNo)) return sale;
		// Started while IOT Pay was set up, and no longer: answered as it stands.
		const settings = this.#options.settings;
		if (!settings.ok) return sale;
		const now = this.#options.now();
		const last = this.#lastAsked.get(merchantOrderNo) ?? 0;
		if (now - last < settings.settings.pollEveryMs) return sale;
		this.#lastAsked.set(merchantOrderNo, now);
		const asked = this.#queryOnce(sale).then((done) => done ?? sale);
		this.#track(merchantOrderNo, asked);
		return asked;
	}

	#track(merchantOrderNo: string, work: Promise<IotPaySale | null>): void {
		this.#running.set(merchantOrderNo, work);
		void work
			.catch((error: unknown) => {
				this.#log(`IOT Pay: ${merchantOrderNo}: ${(error as Error).message}`);
			})
			.finally(() => {
				if (this.#running.get(merchantOrderNo) === work) this.#running.delete(merchantOrderNo);
			});
		void work.then(
			(sale) => {
				if (sale && sale.state !== 'sent' && sale.state !== 'unknown') {
					this.#lastAsked.delete(merchantOrderNo);
				}
			},
			() => undefined
		);
	}

	#log(line: string): void {
		(this.#options.log ?? console.error)(line);
	}

	#update(merchantOrderNo: string, update: Omit<IotPaySaleUpdate, 'now'>) {
		return this.#options.store.updateIotPaySale(merchantOrderNo, {
			...update,
			now: this.#options.now()
		});
	}

	#read(sale: IotPaySale, body: unknown): Reading {
		return readResponse(body, {
			key: this.settings.key,
			merchantOrderNo: sale.merchantOrderNo,
			amount: sale.amount,
			currency: sale.currency
		});
	}

	async #run(sale: IotPaySale, request: Record<string, string>): Promise<IotPaySale | null> {
		const settings = this.settings;
		let body: unknown;
		try {
			body = await post(
				settings,
				'create_order',
				request,
				settings.createTimeoutMs,
				this.#options.fetch
			);
		} catch (error) {
			if (error instanceof GatewayError && !error.mayHaveReached) {
				return this.#update(sale.merchantOrderNo, {
					state: 'refused',
					message: `${error.message} Nothing was charged.`
				});
			}
			const message = error instanceof Error ? error.message : String(error);
			await this.#update(sale.merchantOrderNo, { state: 'unknown', message });
			return this.#poll(sale);
		}
		const reading = this.#read(sale, body);
		switch (reading.kind) {
			case 'final':
				return this.#settle(sale, reading, body);
			case 'refused':
				return this.#update(sale.merchantOrderNo, {
					state: 'refused',
					message: refusalMessage(reading.message, reading.signatureFault),
					keyFault: reading.signatureFault,
					response: body
				});
			default:
				await this.#update(sale.merchantOrderNo, {
					state: 'unknown',
					message: reading.kind === 'unknown' ? reading.message : 'The card is still being read.',
					response: body
				});
				return this.#poll(sale);
		}
	}

	#settle(sale: IotPaySale, reading: Extract<Reading, { kind: 'final' }>, body: unknown) {
		return this.#update(sale.merchantOrderNo, {
			state: reading.outcome.status === 'approved' ? 'approved' : 'cancelled',
			outcome: reading.outcome,
			message: reading.outcome.message ?? null,
			response: body
		});
	}

	/** `query_order` every `pollEveryMs` for `pollForMs`, until the sale is settled. */
	async #poll(sale: IotPaySale): Promise<IotPaySale | null> {
		const { pollEveryMs, pollForMs } = this.settings;
		const until = Date.now() + pollForMs;
		while (Date.now() < until) {
			await sleep(pollEveryMs);
			const done = await this.#queryOnce(sale);
			if (done) return done;
		}
		return this.#options.store.getIotPaySale(sale.merchantOrderNo);
	}

	/** One `query_order`; the sale when it settled it, else null (it stays as it was). */
	async #queryOnce(sale: IotPaySale): Promise<IotPaySale | null> {
		const settings = this.settings;
		let body: unknown;
		try {
			body = await post(
				settings,
				'query_order',
				{ mchId: settings.mchId, mchOrderNo: sale.merchantOrderNo },
				settings.queryTimeoutMs,
				this.#options.fetch
			);
		} catch {
			return null;
		}
		const reading = this.#read(sale, body);
		// A query that fails says nothing certain about the card (the order may not be there yet).
		return reading.kind === 'final' ? this.#settle(sale, reading, body) : null;
	}
}

function refusalMessage(text: string, signatureFault: boolean): string {
	if (signatureFault) {
		return (
			`IOT Pay refused the request's signature (${text}): IOTPAY_KEY on the POS server is not ` +
			'the merchant key IOT Pay holds for IOTPAY_MCH_ID. Nothing was charged.'
		);
	}
	return `IOT Pay refused the payment before asking the bank (${text}). Nothing was charged.`;
}
