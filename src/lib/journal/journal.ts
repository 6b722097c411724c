/**
 * The write-ahead payment journal. Every method is one IndexedDB transaction that writes the
 * record, appends an event to the audit trail (which is also what sync sends from) and keeps the
 * day's figures, or does nothing.
 *
 * Rule 1: an attempt is committed before `beginAttempt` resolves, so the terminal is only ever
 * asked to charge a card the journal already knows about. Rule 3: one attempt at a time per order.
 */
import type { Outcome, RailId } from '../terminals/driver';
import { isFinal, nextState, type TransitionOptions } from './attempt-state';
import { META_ORDER_COUNTER, type JournalDb } from './db';
import {
	admitAttempt,
	checkAttemptRequest,
	refuseIfInProgress,
	requireMoney,
	saleTender
} from './admission';
import { JournalError } from './errors';
import { newId, newMerchantOrderNo } from './ids';
import { addOrder, addTender, adjustDay } from './day-totals';
import { JournalReads } from './journal-reads';
import { isCharge, openHolds } from './holds';
import { nativeWrite } from './native-write';
import { cleanTexts, known, parse } from './records';
import { cardTenderFor, refundedTender, voidedTender } from './settlement';
import { queryEvent, type QueryEvidence } from './evidence';
import { resolutionSchema, type Resolution } from './resolution-schema';
import { dayKey, deriveOrderStatus, formatOrderNumber, remainingDue } from './order-status';
import {
	fuelLinesSchema,
	orderDraftSchema,
	outcomeSchema,
	type Approval,
	type AttemptError,
	type AttemptKind,
	type AttemptState,
	type FuelLine,
	type NewJournalEvent,
	type Order,
	type OrderDraft,
	type PaymentAttempt,
	type Tender
} from './types';

export interface JournalOptions {
	deviceId: string;
	/** Short per-device prefix for order numbers and merchant order numbers, e.g. `A1`. */
	prefix: string;
	now?: () => number;
}

export interface BeginAttemptInput {
	orderId: string;
	kind: AttemptKind;
	rail: RailId;
	terminalId: string;
	amount: number;
	tip?: number;
	currency: string;
	/** The approved sale a refund or void applies to, or the hold a completion or cancel closes. */
	origAttemptId?: string;
	/** The manager's approval, for a refund, void or hold release (kept in the audit trail). */
	approval?: Approval;
	/** A sale's cash to hand to the customer, charged on top of `amount` and `tip`. */
	cashback?: number;
	/** A fuel sale's lines; they add up to `amount`. */
	fuelLines?: FuelLine[];
}

export interface CashTenderInput {
	amount: number;
	tendered: number;
}

export class Journal extends JournalReads {
	readonly deviceId: string;
	readonly #now: () => number;

	constructor(db: JournalDb, options: JournalOptions) {
		if (!/^[A-Za-z0-9]{1,10}$/.test(options.prefix)) {
			throw new JournalError('invalid', 'The device prefix must be 1 to 10 letters or digits.');
		}
		super(db, options.prefix);
		this.deviceId = options.deviceId;
		const clock = options.now ?? Date.now;
		let last = -Infinity;
		// Strictly increasing: two changes of one record never share an `updatedAt`, which is how
		// the server tells the newer version of a record it is sent twice.
		this.#now = () => (last = Math.max(clock(), last + 1));
	}

	/** The journal's clock (injected in tests). */
	now(): number {
		return this.#now();
	}

	/** What is still to be paid on the order (never negative). */
	remainingDue(order: Pick<Order, 'total' | 'paid'>): number {
		return remainingDue(order);
	}

	// ---- orders -------------------------------------------------------------------------------

	async createOrder(draft: OrderDraft): Promise<Order> {
		const d = parse(orderDraftSchema, draft, 'The order');
		return this.#write(async (t) => {
			const counter = ((await this.db.meta.get(META_ORDER_COUNTER))?.value ?? 0) + 1;
			await this.db.meta.put({ key: META_ORDER_COUNTER, value: counter });
			const order: Order = known({
				...d,
				id: d.id ?? newId(t),
				number: formatOrderNumber(this.prefix, counter),
				createdAt: t,
				updatedAt: t,
				day: dayKey(t),
				status: 'open',
				tip: 0,
				paid: 0,
				refunded: 0,
				deviceId: this.deviceId
			});
			await this.#putOrder(undefined, order);
			await this.#log(t, {
				entity: 'order',
				entityId: order.id,
				orderId: order.id,
				type: 'order.created',
				to: 'open',
				data: { number: order.number, total: order.total }
			});
			return order;
		});
	}

	/** Replaces the lines and totals of an open order; amounts paid and status stay the journal's. */
	async saveOpenOrder(order: OrderDraft & { id: string }): Promise<Order> {
		const d = parse(orderDraftSchema, order, 'The order');
		const id = order.id;
		return this.#write(async (t) => {
			const before = await this.#order(id);
			if (before.status !== 'open') {
				throw new JournalError('order_not_open', `Order ${before.number} is ${before.status}.`);
			}
			await this.#refuseIfInProgress(id);
			if (d.total < before.paid) {
				throw new JournalError(
					'invalid_amount',
					`The new total is less than the ${before.paid} already paid on order ${before.number}.`
				);
			}
			if (d.currency !== before.currency && before.paid > 0) {
				throw new JournalError('invalid', 'The currency cannot change after a payment.');
			}
			const after: Order = known({
				...before,
				currency: d.currency,
				lines: d.lines,
				orderDiscount: d.orderDiscount,
				subtotal: d.subtotal,
				discount: d.discount,
				tax: d.tax,
				total: d.total,
				staffId: d.staffId,
				note: d.note,
				updatedAt: t
			});
			after.status = deriveOrderStatus(
				after,
				await this.db.tenders.where({ orderId: id }).toArray()
			);
			await this.#saveOrder(t, before, after);
			return after;
		});
	}

	/** Cancels an open order on which nothing is paid and no payment is in progress. */
	async cancelOrder(id: string): Promise<Order> {
		return this.#write(async (t) => {
			const before = await this.#order(id);
			if (before.status === 'cancelled') return before;
			if (before.status !== 'open') {
				throw new JournalError('order_not_open', `Order ${before.number} is ${before.status}.`);
			}
			await this.#refuseIfInProgress(id);
			if ((await this.#openHolds(id)).length > 0) {
				throw new JournalError(
					'order_not_open',
					`Order ${before.number} has a card hold. Release it first.`
				);
			}
			const tenders = await this.db.tenders.where({ orderId: id }).toArray();
			if (tenders.some((x) => x.status !== 'voided')) {
				throw new JournalError(
					'order_not_open',
					`Order ${before.number} has payments. Void or refund them first.`
				);
			}
			const after: Order = { ...before, status: 'cancelled', updatedAt: t };
			await this.#saveOrder(t, before, after);
			return after;
		});
	}

	/** History, newest first, through the index that narrows the query most (see `history.ts`). */
	// ---- payment attempts ---------------------------------------------------------------------

	/** Rule 1: resolves only once the attempt is committed. Rule 3: refuses a second one. */
	async beginAttempt(input: BeginAttemptInput): Promise<PaymentAttempt> {
		const tip = input.tip ?? 0;
		const cashback = input.cashback || undefined;
		const fuelLines = input.fuelLines?.length
			? parse(fuelLinesSchema, input.fuelLines, 'The fuel lines')
			: undefined;
		checkAttemptRequest({ ...input, cashback, fuelLines });
		const t = this.#now();
		const attempt: PaymentAttempt = known({
			id: newId(t),
			orderId: input.orderId,
			kind: input.kind,
			rail: input.rail,
			terminalId: input.terminalId,
			merchantOrderNo: newMerchantOrderNo(this.prefix, t),
			amount: input.amount,
			tip,
			currency: input.currency,
			// Written with the attempt, before anything is sent: a reload or a reconcile keeps them.
			cashback,
			fuelLines,
			state: 'created' as const,
			origAttemptId: input.origAttemptId,
			approval: input.approval && known({ ...input.approval }),
			createdAt: t,
			updatedAt: t
		});
		const event: NewJournalEvent = {
			entity: 'attempt',
			entityId: attempt.id,
			orderId: attempt.orderId,
			type: 'attempt.created',
			to: 'created',
			data: known({
				kind: attempt.kind,
				amount: attempt.amount,
				tip: attempt.tip,
				cashback: attempt.cashback,
				fuelLines: attempt.fuelLines,
				merchantOrderNo: attempt.merchantOrderNo,
				terminalId: attempt.terminalId,
				origAttemptId: attempt.origAttemptId,
				approvedBy: attempt.approval?.staffId,
				approvalId: attempt.approval?.approvalId
			}),
			at: t
		};
		const reversal = input.kind === 'refund' || input.kind === 'void';
		// This is the write a card waits on, so it runs straight on IndexedDB (see native-write.ts),
		// and the reads that check the attempt go out together with its writes: one round trip
		// instead of two. A failed check throws, and the transaction takes the writes back.
		const scope = reversal
			? ['orders', 'attempts', 'tenders', 'events']
			: ['orders', 'attempts', 'events'];
		await nativeWrite(this.db, scope, async (tx) => {
			const checked = Promise.all([
				tx.get<Order>('orders', input.orderId),
				tx.getAllByIndex<PaymentAttempt>('attempts', 'orderId', input.orderId),
				reversal ? tx.getAllByIndex<Tender>('tenders', 'orderId', input.orderId) : []
			]);
			const written = Promise.all([tx.add('attempts', attempt), tx.add('events', event)]);
			// Awaited below; if a check throws first, the writes' abort is no news.
			written.catch(() => undefined);
			const [order, all, tenders] = await checked;
			if (!order) throw new JournalError('not_found', 'This order is not in the journal.');
			// Requests run in the order they are issued, so the reads miss the new attempt; the
			// filter keeps it so should the lines above ever be reordered.
			const attempts = all.filter((a) => a.id !== attempt.id);
			admitAttempt(order, attempts, tenders, input);
			await written;
		});
		return attempt;
	}

	/** Committed before the request goes to the terminal: from here on the result may be a charge. */
	async markSent(attemptId: string): Promise<PaymentAttempt> {
		return this.#write(async (t) => {
			const before = await this.#attempt(attemptId);
			return this.#moveAttempt(t, before, nextState(before.state, 'sent'), {});
		});
	}

	/** The request may have reached the terminal but its answer was lost (rule 2). */
	async markUnknown(attemptId: string, error: AttemptError): Promise<PaymentAttempt> {
		return this.#write(async (t) => {
			const before = await this.#attempt(attemptId);
			if (before.state === 'unknown') return before;
			return this.#moveAttempt(t, before, nextState(before.state, 'unknown'), {
				error: cleanTexts(error)
			});
		});
	}

	/** The request certainly never reached the terminal: nothing was charged. */
	async markNotSent(attemptId: string, error: AttemptError): Promise<PaymentAttempt> {
		return this.#write(async (t) => {
			const before = await this.#attempt(attemptId);
			if (before.state === 'cancelled') return before;
			return this.#moveAttempt(t, before, nextState(before.state, 'cancelled'), {
				error: cleanTexts(error)
			});
		});
	}

	/**
	 * Applies a terminal's outcome. An approval also moves the money (tender, order amounts and
	 * status) in the same transaction. The same final outcome delivered twice changes nothing.
	 */
	async settle(
		attemptId: string,
		outcome: Outcome,
		options: TransitionOptions = {}
	): Promise<PaymentAttempt> {
		const result = cleanTexts(parse(outcomeSchema, outcome, "The terminal's answer"));
		return this.#write(async (t) => {
			const before = await this.#attempt(attemptId);
			if (before.state === result.status && (isFinal(before.state) || before.state === 'unknown')) {
				return before;
			}
			const to = nextState(before.state, result.status, options);
			const after = await this.#moveAttempt(t, before, to, { outcome: known(result) }, options);
			if (to === 'approved') await this.#applyApproved(t, after, result);
			return after;
		});
	}

	/** Appends one reconciliation query and its answer to the evidence (`evidence.ts`). */
	async recordQuery(
		attempt: Pick<PaymentAttempt, 'id' | 'orderId' | 'state'>,
		query: Omit<QueryEvidence, 'answeredAt'>
	): Promise<void> {
		await this.#write(async (t) => {
			const clean = known({
				askedAt: query.askedAt,
				answer: query.answer && cleanTexts(query.answer),
				error: query.error && cleanTexts(query.error)
			});
			await this.db.events.add(queryEvent(attempt, clean, t));
		});
	}

	/**
	 * The terminal's answer contradicts the attempt's final state (it says approved, the journal
	 * says not charged): the journal does not move money on it by itself (the order may have been
	 * paid again since), but keeps the answer as an event for the order screen and the audit.
	 * Recorded once per answer.
	 */
	async recordContradiction(attemptId: string, outcome: Outcome): Promise<void> {
		const result = cleanTexts(parse(outcomeSchema, outcome, "The terminal's answer"));
		await this.#write(async (t) => {
			const attempt = await this.#attempt(attemptId);
			const events = await this.db.events.where({ orderId: attempt.orderId }).toArray();
			const seen = events.some(
				(e) =>
					e.type === 'attempt.contradicted' &&
					e.entityId === attempt.id &&
					e.data?.status === result.status &&
					e.data?.reference === result.reference
			);
			if (seen) return;
			await this.#log(t, {
				entity: 'attempt',
				entityId: attempt.id,
				orderId: attempt.orderId,
				type: 'attempt.contradicted',
				from: attempt.state,
				data: known({
					status: result.status,
					reference: result.reference,
					amount: result.amount,
					message: result.message,
					resolvedAs: attempt.resolution?.verdict
				})
			});
		});
	}

	/**
	 * A manager's resolution of an `unknown` attempt (`resolve.ts`): settles it with `outcome`
	 * (money moves as for a terminal's approval), keeps `resolution` on it, and appends an
	 * `attempt.resolved` event with who, when, why and the evidence it was decided on.
	 */
	async resolve(
		attemptId: string,
		outcome: Outcome,
		resolution: Resolution,
		evidence: Record<string, unknown>[]
	): Promise<PaymentAttempt> {
		const result = cleanTexts(parse(outcomeSchema, outcome, 'The resolution'));
		const record = cleanTexts(parse(resolutionSchema, resolution, 'The resolution'));
		return this.#write(async (t) => {
			const before = await this.#attempt(attemptId);
			if (before.state !== 'unknown') {
				throw new JournalError('invalid', `This payment is ${before.state}: nothing to resolve.`);
			}
			const options = { reconciled: true };
			const to = nextState(before.state, result.status, options);
			const patch = { outcome: known(result), resolution: record };
			const after = await this.#moveAttempt(t, before, to, patch, options);
			await this.#log(t, {
				entity: 'attempt',
				entityId: after.id,
				orderId: after.orderId,
				type: 'attempt.resolved',
				from: before.state,
				to,
				data: { ...known(record), evidence }
			});
			if (to === 'approved') await this.#applyApproved(t, after, result);
			return after;
		});
	}

	/**
	 * Records a tip the terminal adjusted after the sale (e.g. from a signed paper slip): the card
	 * tender's tip becomes `tip` and the order's tip total follows. Only once the terminal approved
	 * the adjustment: the journal never guesses what the card was charged.
	 */
	async adjustTip(saleAttemptId: string, tip: number, answer?: Outcome): Promise<Tender> {
		requireMoney(tip, 'The tip', true);
		const outcome = answer && cleanTexts(answer);
		return this.#write(async (t) => {
			const sale = await this.#attempt(saleAttemptId);
			const order = await this.#order(sale.orderId);
			const tender = await this.#saleTender(order, sale.id);
			if (tender.status !== 'completed' || tender.refundedAmount > 0) {
				throw new JournalError(
					'not_refundable',
					'The tip of a refunded or voided card payment cannot be adjusted.'
				);
			}
			const updated: Tender = { ...tender, tip, updatedAt: t };
			await this.#putTender(tender, updated);
			await this.#log(t, {
				entity: 'tender',
				entityId: tender.id,
				orderId: tender.orderId,
				type: 'tender.tip_adjusted',
				data: known({
					from: tender.tip,
					to: tip,
					attemptId: sale.id,
					reference: outcome?.reference,
					code: outcome?.code
				})
			});
			await this.#updateOrderAmounts(t, order, { tip: order.tip - tender.tip + tip });
			return updated;
		});
	}

	// ---- cash ---------------------------------------------------------------------------------

	/** Takes cash: at most what is due is applied, the rest of what was handed over is change. */
	async addCashTender(
		orderId: string,
		input: CashTenderInput
	): Promise<{ tender: Tender; order: Order }> {
		requireMoney(input.amount, 'The cash amount');
		requireMoney(input.tendered, 'The cash handed over', true);
		return this.#write(async (t) => {
			const before = await this.#order(orderId);
			if (before.status !== 'open') {
				throw new JournalError('order_not_open', `Order ${before.number} is ${before.status}.`);
			}
			// A card payment whose result is pending might still cover the order.
			await this.#refuseIfInProgress(orderId);
			const due = remainingDue(before);
			if (due === 0) throw new JournalError('invalid_amount', 'Nothing is due on this order.');
			const amount = Math.min(input.amount, due);
			if (input.tendered < amount) {
				throw new JournalError('invalid_amount', 'The cash handed over is less than the amount.');
			}
			const tender: Tender = {
				id: newId(t),
				orderId,
				day: before.day,
				kind: 'cash',
				amount,
				tip: 0,
				tendered: input.tendered,
				change: input.tendered - amount,
				status: 'completed',
				refundedAmount: 0,
				createdAt: t,
				updatedAt: t
			};
			await this.#putTender(undefined, tender);
			await this.#log(t, {
				entity: 'tender',
				entityId: tender.id,
				orderId,
				type: 'tender.added',
				data: { kind: 'cash', amount, tendered: input.tendered, change: tender.change }
			});
			const order = await this.#updateOrderAmounts(t, before, { paid: before.paid + amount });
			return { tender, order };
		});
	}

	// ---- internals ----------------------------------------------------------------------------

	#write<T>(body: (now: number) => Promise<T>): Promise<T> {
		const { orders, attempts, tenders, events, meta, days } = this.db;
		// The scope must be an async function: Dexie then follows native awaits (its zone), so every
		// nested call runs in this transaction.
		return this.db.transaction(
			'rw',
			[orders, attempts, tenders, events, meta, days],
			async () => await body(this.#now())
		);
	}

	/** Appends to the audit trail, which is also what sync sends from; call inside `#write`. */
	async #log(at: number, event: Omit<NewJournalEvent, 'at'>): Promise<void> {
		await this.db.events.add({ ...event, at });
	}

	async #order(id: string): Promise<Order> {
		const order = await this.db.orders.get(id);
		if (!order) throw new JournalError('not_found', 'This order is not in the journal.');
		return order;
	}

	async #attempt(id: string): Promise<PaymentAttempt> {
		const attempt = await this.db.attempts.get(id);
		if (!attempt)
			throw new JournalError('not_found', 'This payment attempt is not in the journal.');
		return attempt;
	}

	/**
	 * Rule 3. `created` counts as in progress too: two attempts created side by side could both be
	 * sent. A `created` attempt left by a crash is cancelled at start-up (it never reached a terminal).
	 */
	async #refuseIfInProgress(orderId: string): Promise<void> {
		refuseIfInProgress(await this.db.attempts.where({ orderId }).toArray());
	}

	async #openHolds(orderId: string): Promise<PaymentAttempt[]> {
		return openHolds(await this.db.attempts.where({ orderId }).toArray());
	}

	async #saleTender(order: Order, origAttemptId: string | undefined): Promise<Tender> {
		const orig = origAttemptId ? await this.db.attempts.get(origAttemptId) : undefined;
		const tenders = orig ? await this.db.tenders.where({ attemptId: orig.id }).toArray() : [];
		return saleTender(order, orig, tenders);
	}

	async #moveAttempt(
		at: number,
		before: PaymentAttempt,
		to: AttemptState,
		patch: Pick<PaymentAttempt, 'error' | 'outcome' | 'resolution'>,
		options: TransitionOptions = {}
	): Promise<PaymentAttempt> {
		const after: PaymentAttempt = known({ ...before, ...patch, state: to, updatedAt: at });
		// Side by side: a move to `sent` is also on the path a card waits on.
		await Promise.all([
			this.db.attempts.put(after),
			this.#log(at, {
				entity: 'attempt',
				entityId: after.id,
				orderId: after.orderId,
				type: 'attempt.state',
				from: before.state,
				to,
				data: known({
					reconciled: options.reconciled || undefined,
					error: patch.error,
					reference: patch.outcome?.reference,
					code: patch.outcome?.code,
					cashback: patch.outcome?.cashback,
					message: patch.outcome?.message,
					finding: patch.outcome?.finding,
					resolvedBy: patch.resolution?.staffId
				})
			})
		]);
		return after;
	}

	async #applyApproved(at: number, attempt: PaymentAttempt, outcome: Outcome): Promise<void> {
		if (isCharge(attempt.kind)) await this.#applySale(at, attempt, outcome);
		else if (attempt.kind === 'refund') await this.#applyRefund(at, attempt);
		else if (attempt.kind === 'void') await this.#applyVoid(at, attempt);
		// A hold placed or released moves no money: the attempt's events record it.
	}

	async #applySale(at: number, attempt: PaymentAttempt, outcome: Outcome): Promise<void> {
		const before = await this.#order(attempt.orderId);
		const tender = cardTenderFor(newId(at), at, before, attempt, outcome);
		const { tip, cashback } = tender;
		await this.#putTender(undefined, tender);
		await this.#log(at, {
			entity: 'tender',
			entityId: tender.id,
			orderId: tender.orderId,
			type: 'tender.added',
			data: known({ kind: 'card', amount: tender.amount, tip, cashback, attemptId: attempt.id })
		});
		await this.#updateOrderAmounts(at, before, {
			paid: before.paid + tender.amount,
			tip: before.tip + tip
		});
	}

	async #applyRefund(at: number, attempt: PaymentAttempt): Promise<void> {
		const before = await this.#order(attempt.orderId);
		const tender = await this.#saleTender(before, attempt.origAttemptId);
		const updated = refundedTender(tender, attempt.amount, at);
		const { refundedAmount } = updated;
		await this.#putTender(tender, updated);
		await this.#log(at, {
			entity: 'tender',
			entityId: tender.id,
			orderId: tender.orderId,
			type: 'tender.refunded',
			from: tender.status,
			to: updated.status,
			data: { amount: attempt.amount, refundedAmount, attemptId: attempt.id }
		});
		await this.#updateOrderAmounts(at, before, { refunded: before.refunded + attempt.amount });
	}

	/** A void cancels the whole card transaction, cashback included (`voidedTender`). */
	async #applyVoid(at: number, attempt: PaymentAttempt): Promise<void> {
		const before = await this.#order(attempt.orderId);
		const tender = await this.#saleTender(before, attempt.origAttemptId);
		await this.#putTender(tender, voidedTender(tender, at));
		await this.#log(at, {
			entity: 'tender',
			entityId: tender.id,
			orderId: tender.orderId,
			type: 'tender.voided',
			from: tender.status,
			to: 'voided',
			data: { amount: tender.amount, tip: tender.tip, attemptId: attempt.id }
		});
		await this.#updateOrderAmounts(at, before, {
			paid: before.paid - tender.amount,
			tip: before.tip - tender.tip
		});
	}

	async #updateOrderAmounts(
		at: number,
		before: Order,
		amounts: Partial<Pick<Order, 'paid' | 'tip' | 'refunded'>>
	): Promise<Order> {
		const after: Order = { ...before, ...amounts, updatedAt: at };
		after.status = deriveOrderStatus(
			after,
			await this.db.tenders.where({ orderId: before.id }).toArray()
		);
		await this.#saveOrder(at, before, after);
		return after;
	}

	async #saveOrder(at: number, before: Order, after: Order): Promise<void> {
		await this.#putOrder(before, after);
		const changed = before.status !== after.status;
		await this.#log(at, {
			entity: 'order',
			entityId: after.id,
			orderId: after.id,
			type: !changed
				? 'order.updated'
				: after.status === 'paid'
					? 'order.paid'
					: after.status === 'cancelled'
						? 'order.cancelled'
						: 'order.status',
			...(changed ? { from: before.status, to: after.status } : {}),
			data: { total: after.total, paid: after.paid, tip: after.tip, refunded: after.refunded }
		});
	}

	/** Every order write goes through here, so the day's figures follow (`before` of a new one: none). */
	async #putOrder(before: Order | undefined, after: Order): Promise<void> {
		await (before ? this.db.orders.put(after) : this.db.orders.add(after));
		await adjustDay(this.db, after.day, (totals) => {
			if (before) addOrder(totals, before, -1);
			addOrder(totals, after, 1);
		});
	}

	/** Every tender write goes through here, for the same reason. */
	async #putTender(before: Tender | undefined, after: Tender): Promise<void> {
		await (before ? this.db.tenders.put(after) : this.db.tenders.add(after));
		await adjustDay(this.db, after.day, (totals) => {
			if (before) addTender(totals, before, -1);
			addTender(totals, after, 1);
		});
	}
}
