/**
 * What sync believes of a parsed upload, record by record: identity (the token's device, a staff
 * member who signed in on it), terminals (the server's), approvals (issued by the server for that
 * operation) and arithmetic (lines, totals, tenders). A refused record goes to quarantine with its
 * reason; records that depend on it (the tender of a refused attempt) go with it; the rest is
 * stored. Pure: the shell (`api/sync.ts`) loads what the server already holds into `JudgeContext`.
 */
import {
	ACTION_OF_KIND,
	APPROVAL_PROBLEM_TEXT,
	checkAttemptApproval,
	type ApprovalRecord
} from '../approvals/approval-scope';
import { checkOrderFigures } from './checks/order-figures';
import { refuse, type Refusal } from './checks/refusal';
import { checkTerminal, type ServerTerminals } from './checks/terminal-check';
import { checkAttemptExtras } from './checks/sale-extras';
import { checkResolution } from './checks/resolution-check';
import { checkCardTender, checkTenderFigures, checkTenderReversals } from './checks/tender-figures';
import type { Rejection } from './parse-batch';
import type { SyncAttempt, SyncBatch, SyncEntity, SyncOrder, SyncTender } from './sync-schema';

/** What the server holds of the records an upload names, any device's. */
export interface StoredRecords {
	orders: readonly { deviceId: string; body: SyncOrder }[];
	attempts: readonly { deviceId: string; body: SyncAttempt }[];
	/** The tenders named, and every tender of the orders named. */
	tenders: readonly { deviceId: string; body: SyncTender }[];
}

export interface JudgeContext extends ServerTerminals {
	deviceId: string;
	isManager(staffId: string): boolean;
	hasSignedIn(staffId: string): boolean;
	approvals: ReadonlyMap<string, ApprovalRecord>;
	stored: StoredRecords;
}

export interface Judged {
	/** The records sync believes, stamped with the token's device. */
	batch: SyncBatch;
	/** Card tenders the server could not corroborate: the till says so, nothing else does. */
	tillReported: Set<string>;
	/**
	 * Attempt id → the approvals it uses (its operation's, its resolution's), bound in the same
	 * transaction as the attempt.
	 */
	approvals: Map<string, string[]>;
	rejected: Rejection[];
}

/** The fields that say what an attempt is: the till may move its state, never these. */
const ATTEMPT_IDENTITY = [
	'kind',
	'orderId',
	'origAttemptId',
	'amount',
	'tip',
	'currency',
	'rail',
	'terminalId',
	'merchantOrderNo',
	'cashback'
] as const;
/** The same for a tender (its refunds and void move, checked against their attempts). */
const TENDER_IDENTITY = ['kind', 'orderId', 'attemptId', 'amount', 'day', 'cashback'] as const;

export function judgeBatch(parsed: SyncBatch, ctx: JudgeContext): Judged {
	const rejected: Rejection[] = [];
	const refused = new Set<string>();
	const key = (entity: SyncEntity, id: string) => `${entity}:${id}`;
	const reject = (entity: SyncEntity, record: { id: string }, why: Refusal) => {
		refused.add(key(entity, record.id));
		rejected.push({ entity, id: record.id, raw: record, ...why });
	};
	const owners = new Map<string, string>();
	for (const o of ctx.stored.orders) owners.set(key('order', o.body.id), o.deviceId);
	for (const a of ctx.stored.attempts) owners.set(key('attempt', a.body.id), a.deviceId);
	for (const t of ctx.stored.tenders) owners.set(key('tender', t.body.id), t.deviceId);
	const othersRecord = (entity: SyncEntity, id: string) => {
		const owner = owners.get(key(entity, id));
		return owner !== undefined && owner !== ctx.deviceId;
	};
	const otherDevice = refuse('other_device', 'belongs to another till');
	const mine = <T>(rows: readonly { deviceId: string; body: T }[]) =>
		rows.filter((r) => r.deviceId === ctx.deviceId).map((r) => r.body);

	// Every attempt and tender belongs to an order of this till: in this upload or already held.
	const myOrders = new Set([
		...parsed.orders.filter((o) => !othersRecord('order', o.id)).map((o) => o.id),
		...mine(ctx.stored.orders).map((o) => o.id)
	]);
	const noOrder = (orderId: string) =>
		myOrders.has(orderId)
			? null
			: refuse('order_unknown', `names order ${orderId}, which this till never sent`);

	// What a payment is never changes once the server holds it; only its state and outcome move.
	const storedAttempts = new Map(mine(ctx.stored.attempts).map((a) => [a.id, a]));
	const storedTenders = new Map(mine(ctx.stored.tenders).map((t) => [t.id, t]));
	const changedAttempt = (attempt: SyncAttempt): Refusal | null => {
		const before = storedAttempts.get(attempt.id);
		return before && ATTEMPT_IDENTITY.some((k) => before[k] !== attempt[k])
			? refuse('changed', 'changes what an attempt the server holds was (kind, order, amount…)')
			: null;
	};
	const changedTender = (tender: SyncTender): Refusal | null => {
		const before = storedTenders.get(tender.id);
		return before && TENDER_IDENTITY.some((k) => before[k] !== tender[k])
			? refuse('changed', 'changes what a payment the server holds was (kind, order, amount…)')
			: null;
	};

	// Attempts: terminal, approval, merchant order number.
	const takenNos = new Map(ctx.stored.attempts.map((a) => [a.body.merchantOrderNo, a.body.id]));
	const attempts: SyncAttempt[] = [];
	const approvals = new Map<string, string[]>();
	/** Approval id → the attempt of this upload that uses it: once, here as across uploads. */
	const usedHere = new Map<string, string>();
	for (const attempt of parsed.attempts) {
		const holder = takenNos.get(attempt.merchantOrderNo);
		const approvalId = attempt.approval?.approvalId;
		/** The server's approval, as used by this upload so far: once, here as across uploads. */
		const asUsed = (id: string | undefined) => {
			const found = id ? ctx.approvals.get(id) : undefined;
			const by = id ? usedHere.get(id) : undefined;
			return found && by !== undefined && by !== attempt.id
				? { ...found, usedByAttemptId: found.usedByAttemptId ?? by }
				: found;
		};
		const problem = checkAttemptApproval(attempt, asUsed(approvalId), ctx.deviceId, ctx.isManager);
		const resolutionId = attempt.resolution?.approvalId;
		const why = othersRecord('attempt', attempt.id)
			? otherDevice
			: (noOrder(attempt.orderId) ??
				changedAttempt(attempt) ??
				(holder !== undefined && holder !== attempt.id
					? refuse('merchant_order_no_taken', `reuses the merchant order number of ${holder}`)
					: null) ??
				checkTerminal(attempt, ctx) ??
				(problem ? refuse(problem, APPROVAL_PROBLEM_TEXT[problem]) : null) ??
				checkResolution(attempt, asUsed(resolutionId), ctx.deviceId, ctx.isManager) ??
				checkAttemptExtras(attempt));
		if (why) {
			reject('attempt', attempt, why);
			continue;
		}
		takenNos.set(attempt.merchantOrderNo, attempt.id);
		// Only an operation that needs one uses its approval up (a sale naming one does not).
		const uses = [
			...(approvalId && ACTION_OF_KIND[attempt.kind] ? [approvalId] : []),
			...(resolutionId ? [resolutionId] : [])
		];
		if (uses.length > 0) approvals.set(attempt.id, uses);
		for (const id of uses) usedHere.set(id, attempt.id);
		attempts.push({ ...attempt, deviceId: ctx.deviceId });
	}
	const knownAttempts = new Map(mine(ctx.stored.attempts).map((a) => [a.id, a]));
	for (const a of attempts) knownAttempts.set(a.id, a);

	// Tenders: their own figures, and a card tender's attempt.
	const attemptsOf = (orderId: string) =>
		[...knownAttempts.values()].filter((a) => a.orderId === orderId);
	const cardRefusal = (tender: SyncTender): Refusal | null => {
		if (tender.kind !== 'card' || !tender.attemptId) return null;
		const attempt = knownAttempts.get(tender.attemptId);
		if (attempt) {
			return (
				checkCardTender(tender, attempt) ?? checkTenderReversals(tender, attemptsOf(tender.orderId))
			);
		}
		return refused.has(key('attempt', tender.attemptId))
			? refuse(
					'attempt_refused',
					`is the payment of attempt ${tender.attemptId}, which was refused`
				)
			: refuse(
					'attempt_unknown',
					`names attempt ${tender.attemptId}, which the server does not hold`
				);
	};
	const tenders: SyncTender[] = [];
	const tillReported = new Set<string>();
	for (const tender of parsed.tenders) {
		const why = othersRecord('tender', tender.id)
			? otherDevice
			: (noOrder(tender.orderId) ??
				changedTender(tender) ??
				checkTenderFigures(tender) ??
				cardRefusal(tender));
		if (why) {
			reject('tender', tender, why);
			continue;
		}
		// The server sees no terminal traffic (LAN and USB go straight from the till), so every card
		// tender is the till's word until the day's close reconciles it.
		if (tender.kind === 'card') tillReported.add(tender.id);
		tenders.push({ ...tender, deviceId: ctx.deviceId });
	}

	// Orders, against every tender the server will hold for them.
	const tendersOf = (orderId: string) => {
		const byId = new Map<string, SyncTender>();
		for (const t of mine(ctx.stored.tenders)) if (t.orderId === orderId) byId.set(t.id, t);
		for (const t of tenders) if (t.orderId === orderId) byId.set(t.id, t);
		return [...byId.values()];
	};
	const orders: SyncOrder[] = [];
	for (const order of parsed.orders) {
		const why = othersRecord('order', order.id)
			? otherDevice
			: !ctx.hasSignedIn(order.staffId)
				? refuse(
						'staff_not_signed_in',
						`names staff "${order.staffId}", who never signed in on this till`
					)
				: checkOrderFigures(order, tendersOf(order.id));
		if (!why) {
			orders.push({ ...order, deviceId: ctx.deviceId });
			continue;
		}
		reject('order', order, why);
		// Which of an order and its payments is wrong cannot be told apart: both wait for the back office.
		for (const t of tenders.filter((x) => x.orderId === order.id)) {
			tillReported.delete(t.id);
			reject(
				'tender',
				t,
				refuse('order_refused', `belongs to order ${order.number}, which was refused`)
			);
		}
	}
	// A tender of an order the batch does not carry must fit the order the server holds.
	const inBatch = new Set(parsed.orders.map((o) => o.id));
	for (const stored of mine(ctx.stored.orders)) {
		if (inBatch.has(stored.id) || !tenders.some((t) => t.orderId === stored.id)) continue;
		const why = checkOrderFigures(stored, tendersOf(stored.id));
		if (!why) continue;
		for (const t of tenders.filter((x) => x.orderId === stored.id)) {
			tillReported.delete(t.id);
			reject(
				'tender',
				t,
				refuse('figures', `does not fit order ${stored.number}: it ${why.message}`)
			);
		}
	}

	return {
		batch: {
			orders,
			attempts,
			tenders: tenders.filter((t) => !refused.has(key('tender', t.id))),
			events: parsed.events
		},
		tillReported,
		approvals,
		rejected
	};
}
