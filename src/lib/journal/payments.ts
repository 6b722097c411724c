/**
 * Orchestration between the journal and a terminal. The journal is always written first, and a
 * lost answer is recorded as `unknown` and reconciled later, never guessed (rules 1, 2 and 4).
 */
import {
	TerminalError,
	requireOperation,
	type Outcome,
	type RailSaleInput,
	type TerminalDriver
} from '../terminals/driver';
import { askTerminal } from './ask-terminal';
import { isCharge, openHolds } from './holds';
import { IllegalTransitionError, isFinal } from './attempt-state';
import { JournalError } from './errors';
import type { Journal } from './journal';
import type { Approval, AttemptError, FuelLine, PaymentAttempt, Tender } from './types';

export interface SaleInput {
	orderId: string;
	amount: number;
	tip?: number;
	tipOnTerminal?: boolean;
	/** Cash to hand to the customer, charged to the card on top (terminals with `cashback`). */
	cashback?: number;
	/** The fuel sold (terminals with `fuelLines`); the lines add up to `amount`. */
	fuelLines?: FuelLine[];
	/** What the rail's sale form prepared: given to the driver, never written to the journal. */
	railInput?: RailSaleInput;
}

export interface RefundInput {
	/** The approved card sale to refund. */
	origAttemptId: string;
	amount: number;
	/** The manager who approved it. */
	approval?: Approval;
}

export interface VoidInput {
	origAttemptId: string;
	approval?: Approval;
}

export interface PreAuthInput {
	orderId: string;
	/** The amount held on the card; it may exceed what is due (a deposit). */
	amount: number;
}

export interface HoldCloseInput {
	/** The approved, open `preauth` attempt. */
	origAttemptId: string;
	/** The manager who approved a release. */
	approval?: Approval;
}

export interface ReconcileReport {
	/** `created` attempts left by a crash: never sent, so cancelled with nothing charged. */
	notSent: PaymentAttempt[];
	/** Attempts the terminals answered for. */
	settled: PaymentAttempt[];
	/** Attempts still `unknown`: terminal unreachable, unconfigured or without an answer. */
	unknown: PaymentAttempt[];
}

function describe(error: unknown): AttemptError {
	if (error instanceof TerminalError) return { code: error.code, message: error.message };
	return { code: 'error', message: error instanceof Error ? error.message : String(error) };
}

async function reread(journal: Journal, attempt: PaymentAttempt): Promise<PaymentAttempt> {
	return (await journal.getAttempt(attempt.id)) ?? attempt;
}

/** Applies a terminal's direct answer to its own request. */
async function settleAnswer(
	journal: Journal,
	attemptId: string,
	outcome: Outcome
): Promise<PaymentAttempt> {
	try {
		return await journal.settle(attemptId, outcome);
	} catch (error) {
		// Another path (a re-delivered result, a reconcile) marked it unknown meanwhile; the
		// terminal's answer to this very merchantOrderNo is as good as a query.
		if (error instanceof IllegalTransitionError && error.from === 'unknown') {
			return journal.settle(attemptId, outcome, { reconciled: true });
		}
		// An answer the journal cannot read says nothing certain about the card.
		if (error instanceof JournalError && error.code === 'invalid') {
			return journal.markUnknown(attemptId, { code: 'protocol', message: error.message });
		}
		throw error;
	}
}

/** markSent -> the terminal call -> settle; transport failures per rule 2. */
async function drive(
	journal: Journal,
	attempt: PaymentAttempt,
	call: () => Promise<Outcome>
): Promise<PaymentAttempt> {
	try {
		await journal.markSent(attempt.id);
	} catch (error) {
		// The terminal was not contacted: free the order for another try.
		await journal.markNotSent(attempt.id, describe(error)).catch(() => undefined);
		throw error;
	}
	let outcome: Outcome;
	try {
		outcome = await call();
	} catch (error) {
		if (error instanceof TerminalError && !error.mayHaveReachedTerminal) {
			return journal.markNotSent(attempt.id, describe(error));
		}
		return journal.markUnknown(attempt.id, describe(error));
	}
	return settleAnswer(journal, attempt.id, outcome);
}

async function requireOrder(journal: Journal, orderId: string) {
	const order = await journal.getOrder(orderId);
	if (!order) throw new JournalError('not_found', 'This order is not in the journal.');
	return order;
}

async function approvedSale(
	journal: Journal,
	attemptId: string
): Promise<{ orig: PaymentAttempt; tender: Tender }> {
	const orig = await journal.getAttempt(attemptId);
	const tender = orig
		? (await journal.tendersForOrder(orig.orderId)).find((t) => t.attemptId === orig.id)
		: undefined;
	if (!orig || !isCharge(orig.kind) || orig.state !== 'approved' || !tender) {
		throw new JournalError('not_refundable', 'Only an approved card payment can be reversed.');
	}
	return { orig, tender };
}

function unsupported(driver: TerminalDriver, what: string): TerminalError {
	return new TerminalError('unsupported', `This terminal (${driver.rail}) cannot ${what}.`, false);
}

/** Takes a card payment. Returns the attempt in its final or `unknown` state. */
export async function runSale(
	journal: Journal,
	driver: TerminalDriver,
	input: SaleInput
): Promise<PaymentAttempt> {
	const order = await requireOrder(journal, input.orderId);
	const tip = input.tip ?? 0;
	// A terminal that cannot give cashback would charge without it while the journal records cash
	// handed over: refused before anything is journaled.
	if (input.cashback && !driver.capabilities.cashback) throw unsupported(driver, 'give cashback');
	if (input.fuelLines?.length && !driver.capabilities.fuelLines) {
		throw unsupported(driver, 'take fuel lines');
	}
	const attempt = await journal.beginAttempt({
		orderId: order.id,
		kind: 'sale',
		rail: driver.rail,
		terminalId: driver.id,
		amount: input.amount,
		tip,
		currency: order.currency,
		cashback: input.cashback,
		fuelLines: input.fuelLines
	});
	// The extras as the journal holds them: what the terminal is asked is what was recorded.
	return drive(journal, attempt, () =>
		driver.sale({
			merchantOrderNo: attempt.merchantOrderNo,
			amount: attempt.amount,
			tip,
			currency: attempt.currency,
			description: `Order ${order.number}`,
			...(input.tipOnTerminal ? { tipOnTerminal: true } : {}),
			...(attempt.cashback ? { cashback: attempt.cashback } : {}),
			...(attempt.fuelLines ? { fuelLines: attempt.fuelLines } : {}),
			lines: order.lines.map((line) => ({
				name: line.name,
				...(line.sku ? { code: line.sku } : {}),
				quantity: line.qty,
				unitPrice: line.unitPrice,
				amount: line.total
			})),
			...(input.railInput ? { railInput: input.railInput } : {})
		})
	);
}

/** Refunds (part of) an approved card sale on the terminal. */
export async function runRefund(
	journal: Journal,
	driver: TerminalDriver,
	input: RefundInput
): Promise<PaymentAttempt> {
	const { orig, tender } = await approvedSale(journal, input.origAttemptId);
	if (!driver.capabilities.refund) throw unsupported(driver, 'refund');
	if (!driver.capabilities.partialRefund && input.amount !== tender.amount + tender.tip) {
		throw unsupported(driver, 'refund part of a payment');
	}
	const attempt = await journal.beginAttempt({
		orderId: orig.orderId,
		kind: 'refund',
		rail: driver.rail,
		terminalId: driver.id,
		amount: input.amount,
		currency: orig.currency,
		origAttemptId: orig.id,
		approval: input.approval
	});
	return drive(journal, attempt, () =>
		driver.refund({
			merchantOrderNo: attempt.merchantOrderNo,
			origMerchantOrderNo: orig.merchantOrderNo,
			...(orig.outcome?.reference ? { origReference: orig.outcome.reference } : {}),
			amount: attempt.amount,
			currency: attempt.currency
		})
	);
}

/** Voids a whole approved card sale (typically before the terminal's batch closes). */
export async function runVoid(
	journal: Journal,
	driver: TerminalDriver,
	input: VoidInput
): Promise<PaymentAttempt> {
	const { orig, tender } = await approvedSale(journal, input.origAttemptId);
	if (!driver.capabilities.void) throw unsupported(driver, 'void a payment');
	const attempt = await journal.beginAttempt({
		orderId: orig.orderId,
		kind: 'void',
		rail: driver.rail,
		terminalId: driver.id,
		amount: tender.amount + tender.tip,
		currency: orig.currency,
		origAttemptId: orig.id,
		approval: input.approval
	});
	return drive(journal, attempt, () =>
		driver.void({
			merchantOrderNo: attempt.merchantOrderNo,
			origMerchantOrderNo: orig.merchantOrderNo,
			...(orig.outcome?.reference ? { origReference: orig.outcome.reference } : {}),
			amount: attempt.amount,
			currency: attempt.currency
		})
	);
}

async function openHold(journal: Journal, attemptId: string): Promise<PaymentAttempt> {
	const hold = await journal.getAttempt(attemptId);
	const open = hold ? openHolds(await journal.attemptsForOrder(hold.orderId)) : [];
	if (!hold || !open.some((a) => a.id === hold.id)) {
		throw new JournalError('invalid', 'Only an open card hold can be completed or released.');
	}
	return hold;
}

/** Places a hold (pre-authorisation) on the card; the order stays open until it is completed. */
export async function runPreAuth(
	journal: Journal,
	terminal: TerminalDriver,
	input: PreAuthInput
): Promise<PaymentAttempt> {
	const driver = requireOperation(terminal, 'preAuth', 'hold an amount on a card');
	const order = await requireOrder(journal, input.orderId);
	const attempt = await journal.beginAttempt({
		orderId: order.id,
		kind: 'preauth',
		rail: driver.rail,
		terminalId: driver.id,
		amount: input.amount,
		currency: order.currency
	});
	return drive(journal, attempt, () =>
		driver.preAuth({
			merchantOrderNo: attempt.merchantOrderNo,
			amount: attempt.amount,
			tip: 0,
			currency: attempt.currency,
			description: `Hold for order ${order.number}`
		})
	);
}

/**
 * Charges what is due on the order (at most the hold) from a hold: the completion's approval adds
 * the card tender, like a sale's.
 */
export async function runPreAuthCompletion(
	journal: Journal,
	terminal: TerminalDriver,
	input: HoldCloseInput & { amount: number }
): Promise<PaymentAttempt> {
	const driver = requireOperation(terminal, 'preAuthComplete', 'charge a card hold');
	const hold = await openHold(journal, input.origAttemptId);
	const attempt = await journal.beginAttempt({
		orderId: hold.orderId,
		kind: 'preauth_completion',
		rail: driver.rail,
		terminalId: driver.id,
		amount: input.amount,
		currency: hold.currency,
		origAttemptId: hold.id
	});
	return drive(journal, attempt, () =>
		driver.preAuthComplete({
			merchantOrderNo: attempt.merchantOrderNo,
			origMerchantOrderNo: hold.merchantOrderNo,
			amount: attempt.amount,
			currency: attempt.currency
		})
	);
}

/** Releases a hold: nothing is charged. */
export async function runPreAuthCancel(
	journal: Journal,
	terminal: TerminalDriver,
	input: HoldCloseInput
): Promise<PaymentAttempt> {
	const driver = requireOperation(terminal, 'preAuthCancel', 'release a card hold');
	const hold = await openHold(journal, input.origAttemptId);
	const attempt = await journal.beginAttempt({
		orderId: hold.orderId,
		kind: 'preauth_cancel',
		rail: driver.rail,
		terminalId: driver.id,
		amount: hold.amount,
		currency: hold.currency,
		origAttemptId: hold.id,
		approval: input.approval
	});
	return drive(journal, attempt, () =>
		driver.preAuthCancel({
			merchantOrderNo: attempt.merchantOrderNo,
			origMerchantOrderNo: hold.merchantOrderNo,
			amount: attempt.amount,
			currency: attempt.currency
		})
	);
}

/**
 * Asks the terminal for a `sent` or `unknown` attempt's result and settles it when the answer is
 * final. Leaves it as it is (and returns it) when the terminal does not know or cannot be reached.
 */
export async function reconcileAttempt(
	journal: Journal,
	driver: TerminalDriver,
	attempt: PaymentAttempt
): Promise<PaymentAttempt> {
	const current = await reread(journal, attempt);
	if (current.state !== 'sent' && current.state !== 'unknown') return current;
	// Every query and its answer are kept as evidence (`ask-terminal.ts`).
	const asked = await askTerminal(journal, driver, current);
	if (!asked.ok || asked.outcome.status === 'unknown') return reread(journal, current);
	return journal.settle(current.id, asked.outcome, { reconciled: true });
}

/**
 * Rule 4, at start-up before the till takes a payment (nothing of this app is in flight yet): an
 * attempt still `sent` was waiting when the app stopped, so its result is unknown; an attempt still
 * `created` never reached a terminal. Returns the latter, now cancelled.
 */
export async function interruptInFlight(journal: Journal): Promise<PaymentAttempt[]> {
	const notSent: PaymentAttempt[] = [];
	for (const attempt of await journal.attemptsInState('created')) {
		notSent.push(
			await journal.markNotSent(attempt.id, {
				code: 'not_sent',
				message: 'The app stopped before the request was sent to the terminal.'
			})
		);
	}
	for (const attempt of await journal.attemptsInState('sent')) {
		await journal.markUnknown(attempt.id, {
			code: 'interrupted',
			message: 'The app stopped while waiting for the terminal.'
		});
	}
	return notSent;
}

/** Rule 4 in full: `interruptInFlight`, then every `unknown` attempt is asked about, one at a time. */
export async function reconcilePending(
	journal: Journal,
	driverFor: (terminalId: string) => TerminalDriver | undefined
): Promise<ReconcileReport> {
	const report: ReconcileReport = {
		notSent: await interruptInFlight(journal),
		settled: [],
		unknown: []
	};
	await reconcileUnknown(journal, driverFor, report);
	return report;
}

/** Asks the terminals about every `unknown` attempt, one at a time. */
export async function reconcileUnknown(
	journal: Journal,
	driverFor: (terminalId: string) => TerminalDriver | undefined,
	report: ReconcileReport = { notSent: [], settled: [], unknown: [] }
): Promise<ReconcileReport> {
	for (const attempt of await journal.attemptsInState('unknown')) {
		const driver = driverFor(attempt.terminalId);
		let after = attempt;
		if (driver) {
			try {
				after = await reconcileAttempt(journal, driver, attempt);
			} catch {
				// A conflicting answer or a storage failure: keep going with the others.
				after = await reread(journal, attempt);
			}
		}
		(after.state === 'unknown' ? report.unknown : report.settled).push(after);
	}
	return report;
}

/**
 * A result a terminal delivered on its own (e.g. after a reconnect). Settles the matching `sent`
 * or `unknown` attempt; unknown merchantOrderNos and final attempts are left alone.
 */
export async function handleUnsolicitedResult(
	journal: Journal,
	merchantOrderNo: string,
	outcome: Outcome
): Promise<PaymentAttempt | undefined> {
	const attempt = await journal.attemptByMerchantOrderNo(merchantOrderNo);
	if (!attempt || outcome.status === 'unknown') return attempt;
	if (isFinal(attempt.state)) {
		// A charge the journal holds as not charged (a manager resolved it so): kept and shown, never
		// dropped, for the customer may have paid twice.
		if (outcome.status === 'approved' && attempt.state !== 'approved') {
			await journal.recordContradiction(attempt.id, outcome);
		}
		return attempt;
	}
	try {
		// The terminal has it, so it was sent, whatever the journal had time to record.
		if (attempt.state === 'created') await journal.markSent(attempt.id);
		// The terminal's own result for this merchantOrderNo is authoritative.
		return await journal.settle(attempt.id, outcome, { reconciled: true });
	} catch (error) {
		if (error instanceof IllegalTransitionError) return reread(journal, attempt);
		throw error;
	}
}
