import { z } from 'zod/mini';
import { SIM_SCENARIOS, type SimScenario } from './scenarios';

/** The part of the Web Storage API the simulator needs (localStorage, or a fake in tests). */
export interface StorageLike {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
	removeItem(key: string): void;
}

export type SimKind = 'sale' | 'refund' | 'void';

/**
 * The final status the terminal will report once `completesAt` has passed. `pending` as a final
 * status means the terminal never answers (the `never-answer` scenario).
 */
export type SimStatus = 'pending' | 'approved' | 'declined' | 'cancelled';

/** One entry of the simulated terminal's own transaction log. */
export interface SimTransaction {
	merchantOrderNo: string;
	kind: SimKind;
	/** The sale a refund or void refers to. */
	origMerchantOrderNo?: string;
	amount: number;
	tip: number;
	currency: string;
	scenario: SimScenario;
	receivedAt: number;
	/** When the outcome becomes known; `null` = never. */
	completesAt: number | null;
	status: SimStatus;
	reference: string;
	cardBrand?: string;
	maskedCard?: string;
	authCode?: string;
	message?: string;
	code?: string;
	/** Requests that arrived again with this order number and were answered, not charged. */
	duplicates: number;
}

const minor = z.int().check(z.gte(0)).check(z.lte(Number.MAX_SAFE_INTEGER));

const transactionSchema: z.ZodMiniType<SimTransaction> = z.object({
	merchantOrderNo: z.string().check(z.minLength(1)),
	kind: z.enum(['sale', 'refund', 'void']),
	origMerchantOrderNo: z.optional(z.string()),
	amount: minor,
	tip: minor,
	currency: z.string(),
	scenario: z.enum(SIM_SCENARIOS),
	receivedAt: z.number(),
	completesAt: z.nullable(z.number()),
	status: z.enum(['pending', 'approved', 'declined', 'cancelled']),
	reference: z.string(),
	cardBrand: z.optional(z.string()),
	maskedCard: z.optional(z.string()),
	authCode: z.optional(z.string()),
	message: z.optional(z.string()),
	code: z.optional(z.string()),
	duplicates: z.int().check(z.gte(0))
});

const stateSchema = z.object({
	/** Sequence for references; survives `clear()` so references never repeat on one device. */
	seq: z.int().check(z.gte(0)),
	transactions: z.array(transactionSchema)
});
type SimState = z.infer<typeof stateSchema>;

/** What the terminal reports for `tx` at time `now`. */
export function statusAt(tx: SimTransaction, now: number): SimStatus {
	return tx.completesAt !== null && now >= tx.completesAt ? tx.status : 'pending';
}

/**
 * The terminal's transaction log, kept in storage so that it survives a page reload the way a
 * real terminal's memory survives the POS going away. Every call reads storage afresh: a second
 * instance (after a reload, or in another tab) sees the same log.
 */
export class SimLog {
	readonly #storage: StorageLike;
	readonly #key: string;

	constructor(storage: StorageLike, terminalId: string) {
		this.#storage = storage;
		this.#key = `pos.sim-terminal.${terminalId}`;
	}

	all(): SimTransaction[] {
		return this.#read().transactions;
	}

	find(merchantOrderNo: string): SimTransaction | undefined {
		return this.#read().transactions.find((tx) => tx.merchantOrderNo === merchantOrderNo);
	}

	/** Takes the next reference sequence number. */
	nextSeq(): number {
		const state = this.#read();
		state.seq += 1;
		this.#write(state);
		return state.seq;
	}

	append(tx: SimTransaction): void {
		const state = this.#read();
		state.transactions.push(tx);
		this.#write(state);
	}

	update(merchantOrderNo: string, change: (tx: SimTransaction) => SimTransaction): void {
		const state = this.#read();
		state.transactions = state.transactions.map((tx) =>
			tx.merchantOrderNo === merchantOrderNo ? change(tx) : tx
		);
		this.#write(state);
	}

	clear(): void {
		const state = this.#read();
		this.#write({ seq: state.seq, transactions: [] });
	}

	#read(): SimState {
		const raw = this.#storage.getItem(this.#key);
		if (raw !== null) {
			try {
				const parsed = stateSchema.safeParse(JSON.parse(raw));
				if (parsed.success) return parsed.data;
			} catch {
				// unreadable JSON: start a fresh log below
			}
		}
		return { seq: 0, transactions: [] };
	}

	#write(state: SimState): void {
		this.#storage.setItem(this.#key, JSON.stringify(state));
	}
}
