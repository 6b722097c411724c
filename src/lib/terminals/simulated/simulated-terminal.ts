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
import { simSettings, type SimScenario, type SimSettings } from './scenarios';
import { SimLog, statusAt, type SimKind, type SimTransaction, type StorageLike } from './sim-log';

export type { SimKind, SimStatus, SimTransaction, StorageLike } from './sim-log';
export { SIM_SCENARIOS, SIM_SCENARIO_LABELS, isSimScenario, type SimScenario } from './scenarios';

export interface SimulatedTerminalOptions {
	/** Where the terminal keeps its log; defaults to `localStorage`. */
	storage?: StorageLike;
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

const CARD = { cardBrand: 'Visa', maskedCard: '**** 4242' } as const;

// Response codes follow the ISO 8583 habits most terminals show the cashier.
const DECLINE = { message: 'Insufficient funds', code: '51' } as const;
const CUSTOMER_CANCEL = { message: 'Cancelled by the customer', code: '110' } as const;
const OPERATOR_CANCEL = { message: 'Cancelled on the terminal', code: '110' } as const;
const REFUSED = '12';
const DUPLICATE = '94';

/**
 * A payment terminal that lives in the browser, for demos and end-to-end tests. It behaves like
 * the real rails where it matters to the POS: its log survives a reload, a repeated order number
 * is answered from the log rather than charged again, and a lost connection leaves a result that
 * only `query` can recover.
 *
 * Scenarios `decline` and `cancel` act on sales (they are about the customer's card); refunds and
 * voids are refused only by the terminal's own checks (amount left, already voided...).
 */
export class SimulatedTerminal implements TerminalDriver {
	readonly id: string;
	readonly rail = 'simulated' as const;
	readonly capabilities: TerminalCapabilities = {
		tipOnTerminal: true,
		refund: true,
		partialRefund: true,
		void: true,
		receipts: false,
		batchClose: false,
		tipAdjust: false
	};

	readonly #currency: string;
	readonly #settings: SimSettings;
	readonly #log: SimLog;
	readonly #now: () => number;
	readonly #sleep: (ms: number) => Promise<void>;
	readonly #listeners = new Set<(event: TerminalEvent) => void>();
	/** Wakes an operation waiting on its transaction, e.g. when it is cancelled. */
	readonly #wakers = new Map<string, () => void>();
	#status: TerminalStatus = 'disconnected';
	/** The POS asked to be connected (and has not disconnected since). */
	#wanted = false;
	#busy = false;

	constructor(config: TerminalConfig, options: SimulatedTerminalOptions = {}) {
		const storage = options.storage ?? defaultStorage();
		this.id = config.id;
		this.#currency = config.currency;
		this.#settings = simSettings(config.params);
		this.#log = new SimLog(storage, config.id);
		this.#now = options.now ?? Date.now;
		this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
	}

	get scenario(): SimScenario {
		return this.#settings.scenario;
	}

	/** Changes the behaviour from the next operation on; going offline or back shows at once. */
	setScenario(scenario: SimScenario): void {
		this.#settings.scenario = scenario;
		if (this.#wanted && !this.#busy) this.#setStatus(this.#idleStatus());
	}

	/** The terminal's transaction log, oldest first. */
	log(): SimTransaction[] {
		return this.#log.all();
	}

	clearLog(): void {
		this.#log.clear();
	}

	status(): TerminalStatus {
		return this.#status;
	}

	on(listener: (event: TerminalEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	async connect(): Promise<void> {
		if (this.#wanted && this.#status !== 'offline') return;
		this.#wanted = true;
		this.#setStatus('connecting');
		if (this.#settings.scenario === 'offline') {
			this.#setStatus('offline');
			throw unreachable();
		}
		this.#setStatus(this.#busy ? 'busy' : 'ready');
	}

	async disconnect(): Promise<void> {
		this.#wanted = false;
		this.#setStatus('disconnected');
	}

	async sale(request: SaleRequest): Promise<Outcome> {
		this.#checkRequest(request.merchantOrderNo, request.amount, request.currency);
		if (!Number.isSafeInteger(request.tip) || request.tip < 0) {
			throw new TerminalError(
				'bad_request',
				'The tip must be a whole number of minor units',
				false
			);
		}
		const terminalTip = request.tipOnTerminal ? this.#settings.terminalTip : 0;
		return this.#run(request.merchantOrderNo, 'sale', (base) => {
			const scenario = this.#settings.scenario;
			const tx = { ...base, amount: request.amount, tip: request.tip + terminalTip, ...CARD };
			if (scenario === 'decline') return withoutAuth({ ...tx, status: 'declined', ...DECLINE });
			if (scenario === 'cancel') {
				return withoutAuth({ ...tx, status: 'cancelled', ...CUSTOMER_CANCEL });
			}
			return tx;
		});
	}

	async refund(request: RefundRequest): Promise<Outcome> {
		this.#checkRequest(request.merchantOrderNo, request.amount, request.currency);
		return this.#run(request.merchantOrderNo, 'refund', (base) => {
			const tx = { ...base, origMerchantOrderNo: request.origMerchantOrderNo };
			const found = this.#original(request.origMerchantOrderNo, request.origReference);
			if ('refusal' in found) return refuse({ ...tx, amount: request.amount }, found.refusal);
			const later = this.#relatedTo(found.orig.merchantOrderNo);
			const refunded = later
				.filter((t) => t.kind === 'refund')
				.reduce((sum, t) => sum + t.amount, 0);
			const left = found.orig.amount + found.orig.tip - refunded;
			if (later.some((t) => t.kind === 'void')) {
				return refuse({ ...tx, amount: request.amount }, 'The sale was voided');
			}
			if (request.amount > left) {
				const message = `Refund exceeds the amount left on the sale (${left} minor units)`;
				return refuse({ ...tx, amount: request.amount }, message);
			}
			return { ...tx, amount: request.amount, ...CARD };
		});
	}

	async void(request: VoidRequest): Promise<Outcome> {
		this.#checkRequest(request.merchantOrderNo, request.amount, request.currency);
		return this.#run(request.merchantOrderNo, 'void', (base) => {
			const tx = { ...base, origMerchantOrderNo: request.origMerchantOrderNo };
			const found = this.#original(request.origMerchantOrderNo, request.origReference);
			if ('refusal' in found) return refuse({ ...tx, amount: request.amount }, found.refusal);
			const later = this.#relatedTo(found.orig.merchantOrderNo);
			if (later.some((t) => t.kind === 'void')) {
				return refuse({ ...tx, amount: request.amount }, 'The sale is already voided');
			}
			if (later.some((t) => t.kind === 'refund')) {
				return refuse({ ...tx, amount: request.amount }, 'The sale has refunds: refund instead');
			}
			return { ...tx, amount: found.orig.amount, tip: found.orig.tip, ...CARD };
		});
	}

	async query(request: QueryRequest): Promise<Outcome> {
		this.#ensureReachable();
		const tx = this.#log.find(request.merchantOrderNo);
		if (!tx) {
			// Not a decline: the POS cannot tell "never received" from "lost" without more context.
			return {
				status: 'unknown',
				message: 'The terminal has no such transaction',
				code: 'NOT_FOUND'
			};
		}
		if (tx.kind !== request.kind) {
			return { status: 'unknown', message: `That order number is a ${tx.kind} on the terminal` };
		}
		if (statusAt(tx, this.#now()) === 'pending') {
			return { status: 'unknown', message: 'Still in progress on the terminal' };
		}
		return toOutcome(tx);
	}

	async cancel(merchantOrderNo: string): Promise<void> {
		this.#ensureReachable();
		const tx = this.#log.find(merchantOrderNo);
		const now = this.#now();
		if (!tx || statusAt(tx, now) !== 'pending') return;
		this.#log.update(merchantOrderNo, (t) =>
			withoutAuth({ ...t, status: 'cancelled', completesAt: now, ...OPERATOR_CANCEL })
		);
		this.#wakers.get(merchantOrderNo)?.();
	}

	/**
	 * Records the transaction (or finds the one already recorded under this order number), waits
	 * for its outcome like the POS waits on a real terminal, and answers with it.
	 */
	async #run(
		merchantOrderNo: string,
		kind: SimKind,
		build: (base: SimTransaction) => SimTransaction
	): Promise<Outcome> {
		this.#ensureReachable();
		if (this.#busy) {
			throw new TerminalError('busy', 'The terminal is busy with another transaction', false);
		}
		const existing = this.#log.find(merchantOrderNo);
		if (existing && existing.kind !== kind) {
			return {
				status: 'declined',
				message: `Duplicate order number: already used for a ${existing.kind}`,
				code: DUPLICATE
			};
		}
		const now = this.#now();
		const deadline = now + this.#settings.timeoutMs;
		this.#busy = true;
		this.#setStatus('busy');
		try {
			if (existing) {
				this.#log.update(merchantOrderNo, (tx) => ({ ...tx, duplicates: tx.duplicates + 1 }));
			} else {
				this.#log.append(build(this.#base(merchantOrderNo, kind, now)));
			}
			const tx = await this.#settle(merchantOrderNo, deadline);
			if (!tx) {
				throw new TerminalError('timeout', 'The terminal did not answer in time', true);
			}
			if (!existing && tx.scenario === 'drop-after-approve' && tx.status === 'approved') {
				this.#setStatus('reconnecting');
				throw new TerminalError('connection_lost', 'Lost the connection to the terminal', true);
			}
			return toOutcome(tx);
		} finally {
			this.#busy = false;
			this.#setStatus(this.#idleStatus());
		}
	}

	/** The transaction once the terminal knows its outcome, or `undefined` at the deadline. */
	async #settle(merchantOrderNo: string, deadline: number): Promise<SimTransaction | undefined> {
		for (;;) {
			const tx = this.#log.find(merchantOrderNo);
			if (!tx) {
				throw new TerminalError('protocol', 'The transaction vanished from the terminal', true);
			}
			const now = this.#now();
			if (statusAt(tx, now) !== 'pending') return tx;
			if (now >= deadline) return undefined;
			const wakeAt = tx.completesAt === null ? deadline : Math.min(tx.completesAt, deadline);
			await new Promise<void>((resolve) => {
				this.#wakers.set(merchantOrderNo, resolve);
				void this.#sleep(wakeAt - now).then(resolve);
			});
			this.#wakers.delete(merchantOrderNo);
		}
	}

	/** A new transaction as the current scenario would settle it, approved unless changed. */
	#base(merchantOrderNo: string, kind: SimKind, now: number): SimTransaction {
		const { scenario, cardMs, slowMs } = this.#settings;
		const seq = this.#log.nextSeq();
		const completesAt =
			scenario === 'never-answer' ? null : now + (scenario === 'slow' ? slowMs : cardMs);
		return {
			merchantOrderNo,
			kind,
			amount: 0,
			tip: 0,
			currency: this.#currency,
			scenario,
			receivedAt: now,
			completesAt,
			status: scenario === 'never-answer' ? 'pending' : 'approved',
			reference: `SIM${now.toString(36).toUpperCase()}${String(seq).padStart(4, '0')}`,
			authCode: String((seq * 7919 + 104729) % 1_000_000).padStart(6, '0'),
			duplicates: 0
		};
	}

	/** The approved sale a refund or void refers to, or why the terminal refuses. */
	#original(
		merchantOrderNo: string,
		reference: string | undefined
	): { orig: SimTransaction } | { refusal: string } {
		const orig = this.#log.find(merchantOrderNo);
		if (!orig || orig.kind !== 'sale')
			return { refusal: 'Original sale not found on this terminal' };
		if (reference !== undefined && reference !== orig.reference) {
			return { refusal: 'Original reference does not match the sale' };
		}
		const status = statusAt(orig, this.#now());
		if (status === 'pending') return { refusal: 'The original sale is still in progress' };
		if (status !== 'approved') return { refusal: 'The original sale was not approved' };
		return { orig };
	}

	/** Refunds and voids of a sale that hold (approved, or still in progress). */
	#relatedTo(merchantOrderNo: string): SimTransaction[] {
		return this.#log
			.all()
			.filter(
				(tx) =>
					tx.origMerchantOrderNo === merchantOrderNo &&
					(tx.status === 'approved' || tx.status === 'pending')
			);
	}

	#checkRequest(merchantOrderNo: string, amount: number, currency: string): void {
		if (merchantOrderNo.length === 0 || merchantOrderNo.length > 64) {
			throw new TerminalError('bad_request', 'The order number must be 1–64 characters', false);
		}
		if (!Number.isSafeInteger(amount) || amount <= 0) {
			throw new TerminalError('bad_request', 'The amount must be a positive whole number', false);
		}
		if (currency !== this.#currency) {
			throw new TerminalError(
				'bad_request',
				`This terminal takes ${this.#currency}, not ${currency}`,
				false
			);
		}
	}

	#ensureReachable(): void {
		if (!this.#wanted) {
			throw new TerminalError('not_connected', 'The simulated terminal is not connected', false);
		}
		if (this.#settings.scenario === 'offline') {
			this.#setStatus('offline');
			throw unreachable();
		}
	}

	#idleStatus(): TerminalStatus {
		if (!this.#wanted) return 'disconnected';
		return this.#settings.scenario === 'offline' ? 'offline' : 'ready';
	}

	#setStatus(status: TerminalStatus): void {
		if (status === this.#status) return;
		this.#status = status;
		for (const listener of this.#listeners) listener({ type: 'status', status });
	}
}

/** The terminal's own checks answer at once: no card is needed to refuse. */
function refuse(tx: SimTransaction, message: string): SimTransaction {
	return withoutAuth({
		...tx,
		status: 'declined',
		completesAt: tx.receivedAt,
		message,
		code: REFUSED
	});
}

function withoutAuth(tx: SimTransaction): SimTransaction {
	const { authCode: _authCode, ...rest } = tx;
	return rest;
}

function toOutcome(tx: SimTransaction): Outcome {
	const outcome: Outcome = {
		status: tx.status === 'pending' ? 'unknown' : tx.status,
		reference: tx.reference,
		amount: tx.amount,
		tip: tx.tip
	};
	if (tx.status === 'approved') {
		outcome.authCode = tx.authCode;
		outcome.cardBrand = tx.cardBrand;
		outcome.maskedCard = tx.maskedCard;
	}
	if (tx.message !== undefined) outcome.message = tx.message;
	if (tx.code !== undefined) outcome.code = tx.code;
	return outcome;
}

function unreachable(): TerminalError {
	return new TerminalError('unreachable', 'The simulated terminal is offline', false);
}

function defaultStorage(): StorageLike {
	if (typeof localStorage === 'undefined') {
		throw new Error('The simulated terminal needs localStorage (or a storage option)');
	}
	return localStorage;
}
