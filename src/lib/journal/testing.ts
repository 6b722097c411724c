/**
 * Test fixtures: a fake terminal at the edge (implementing the real `TerminalDriver`) and fresh
 * journals on uniquely named fake-indexeddb databases. Imported by specs only.
 */
import type {
	Outcome,
	QueryRequest,
	RefundRequest,
	SaleRequest,
	TerminalCapabilities,
	TerminalDriver,
	TerminalEvent,
	TerminalStatus,
	VoidRequest
} from '../terminals/driver';
import { openJournalDb, type JournalDb } from './db';
import { newId } from './ids';
import { Journal, type BeginAttemptInput } from './journal';
import type { OrderDraft } from './types';

type Handler<R> = (request: R) => Promise<Outcome>;

export class FakeTerminal implements TerminalDriver {
	readonly id: string;
	readonly rail = 'simulated' as const;
	capabilities: TerminalCapabilities = {
		tipOnTerminal: true,
		refund: true,
		partialRefund: true,
		void: true,
		receipts: false,
		batchClose: false,
		tipAdjust: false
	};
	readonly calls: { op: string; request: unknown }[] = [];
	onSale: Handler<SaleRequest> = async () => ({ status: 'approved', reference: 'R1' });
	onRefund: Handler<RefundRequest> = async () => ({ status: 'approved', reference: 'RF1' });
	onVoid: Handler<VoidRequest> = async () => ({ status: 'approved', reference: 'V1' });
	onQuery: Handler<QueryRequest> = async () => ({ status: 'unknown' });
	#listeners = new Set<(event: TerminalEvent) => void>();

	constructor(id = 'term-1') {
		this.id = id;
	}
	status(): TerminalStatus {
		return 'ready';
	}
	async connect(): Promise<void> {}
	async disconnect(): Promise<void> {}
	on(listener: (event: TerminalEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}
	emit(event: TerminalEvent): void {
		for (const l of this.#listeners) l(event);
	}
	sale(request: SaleRequest): Promise<Outcome> {
		this.calls.push({ op: 'sale', request });
		return this.onSale(request);
	}
	refund(request: RefundRequest): Promise<Outcome> {
		this.calls.push({ op: 'refund', request });
		return this.onRefund(request);
	}
	void(request: VoidRequest): Promise<Outcome> {
		this.calls.push({ op: 'void', request });
		return this.onVoid(request);
	}
	query(request: QueryRequest): Promise<Outcome> {
		this.calls.push({ op: 'query', request });
		return this.onQuery(request);
	}
	async cancel(merchantOrderNo: string): Promise<void> {
		this.calls.push({ op: 'cancel', request: merchantOrderNo });
	}
}

export interface TestJournal {
	journal: Journal;
	db: JournalDb;
	name: string;
	clock: { t: number };
}

/** A journal on a fresh database, with a clock the test moves by hand. */
export function testJournal(start = new Date(2025, 2, 7, 10, 0, 0).getTime()): TestJournal {
	const name = `journal-test-${newId()}`;
	const db = openJournalDb(name);
	const clock = { t: start };
	const journal = new Journal(db, { deviceId: 'dev-1', prefix: 'A1', now: () => clock.t++ });
	return { journal, db, name, clock };
}

export function orderDraft(total: number, overrides: Partial<OrderDraft> = {}): OrderDraft {
	const tax = Math.round((total * 2000) / 12000);
	return {
		currency: 'EUR',
		lines: [
			{
				id: newId(),
				productId: 'p1',
				sku: 'SKU1',
				name: 'Coffee',
				unitPrice: total,
				qty: 1,
				taxRateBp: 2000,
				taxInclusive: true,
				discount: null,
				lineDiscount: 0,
				orderDiscountShare: 0,
				net: total - tax,
				tax,
				total
			}
		],
		orderDiscount: null,
		subtotal: total,
		discount: 0,
		tax,
		total,
		staffId: 'staff-1',
		...overrides
	};
}

/** A card sale of `amount` (EUR) on the simulated terminal `term-1`, for `beginAttempt`. */
export function saleInput(orderId: string, amount: number, tip = 0): BeginAttemptInput {
	return {
		orderId,
		kind: 'sale',
		rail: 'simulated',
		terminalId: 'term-1',
		amount,
		tip,
		currency: 'EUR'
	};
}

/** A promise with its resolve/reject exposed, to hold a terminal call open. */
export function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}
