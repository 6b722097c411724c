/**
 * The journal's records. The zod schemas are the single source of truth: the types are inferred
 * from them, and the same schemas validate order drafts from the UI and imported journal files.
 *
 * Money is always an integer number of minor units of the order's currency.
 */
import { z } from 'zod/mini';
import type { FuelLine as DriverFuelLine, Outcome } from '../terminals/driver';
import { railSchema } from '../terminals/config';
import { resolutionSchema } from './resolution-schema';

const money = z.int().check(z.nonnegative());
const ms = z.int().check(z.nonnegative());
const dayString = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'day must be YYYY-MM-DD'));
const currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code'));

export const ORDER_STATUSES = [
	'open',
	'paid',
	'partially_refunded',
	'refunded',
	'voided',
	'cancelled'
] as const;
export const orderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const ATTEMPT_STATES = [
	'created',
	'sent',
	'approved',
	'declined',
	'cancelled',
	'unknown'
] as const;
export const attemptStateSchema = z.enum(ATTEMPT_STATES);
export type AttemptState = z.infer<typeof attemptStateSchema>;

/**
 * `preauth` holds an amount on the card without charging it; `preauth_completion` charges (part
 * of) a hold and `preauth_cancel` releases it (see `holds.ts`).
 */
export const attemptKindSchema = z.enum([
	'sale',
	'refund',
	'void',
	'preauth',
	'preauth_completion',
	'preauth_cancel'
]);
export type AttemptKind = z.infer<typeof attemptKindSchema>;

/** A rail of the registry (`$lib/terminals/registry`). */
export { railSchema };

export const outcomeSchema = z.object({
	status: z.enum(['approved', 'declined', 'cancelled', 'unknown']),
	reference: z.optional(z.string()),
	cardBrand: z.optional(z.string()),
	maskedCard: z.optional(z.string()),
	authCode: z.optional(z.string()),
	amount: z.optional(money),
	tip: z.optional(money),
	cashback: z.optional(money),
	message: z.optional(z.string()),
	code: z.optional(z.string()),
	reason: z.optional(z.enum(['terminal_busy'])),
	finding: z.optional(z.enum(['not_found', 'never_received', 'key_mismatch'])),
	exhausted: z.optional(z.boolean())
}) satisfies z.ZodMiniType<Outcome>;

export const orderDiscountSchema = z.nullable(
	z.discriminatedUnion('kind', [
		z.object({ kind: z.literal('amount'), value: money }),
		z.object({
			kind: z.literal('percent'),
			basisPoints: z.int().check(z.gte(0)).check(z.lte(10_000))
		})
	])
);
export type OrderDiscount = z.infer<typeof orderDiscountSchema>;

/** A modifier chosen on a line, as priced (see `LineModifier` in `$lib/orders/pricing`). */
export const lineModifierSchema = z.object({
	groupId: z.string().check(z.minLength(1)).check(z.maxLength(64)),
	groupName: z.string().check(z.maxLength(80)),
	optionId: z.string().check(z.minLength(1)).check(z.maxLength(64)),
	name: z.string().check(z.maxLength(80)),
	price: money
});

export const orderLineSchema = z.object({
	id: z.string().check(z.minLength(1)),
	productId: z.string(),
	sku: z.string(),
	name: z.string(),
	unitPrice: money,
	qty: z.int().check(z.positive()),
	taxRateBp: z.int().check(z.nonnegative()),
	taxInclusive: z.boolean(),
	/** The discount the cashier gave on this line, as entered; `lineDiscount` is its amount. */
	discount: z.optional(orderDiscountSchema),
	/** Absent on lines from before modifiers existed, and on lines without any. */
	modifiers: z.optional(z.array(lineModifierSchema).check(z.maxLength(40))),
	note: z.optional(z.string().check(z.maxLength(200))),
	lineDiscount: money,
	orderDiscountShare: money,
	net: money,
	tax: money,
	total: money
});
export type OrderLine = z.infer<typeof orderLineSchema>;

/** What the UI hands over: lines and totals as its pricing computed them (stored as given). */
export const orderDraftSchema = z.object({
	id: z.optional(z.string().check(z.minLength(1)).check(z.maxLength(64))),
	currency,
	lines: z.array(orderLineSchema),
	orderDiscount: orderDiscountSchema,
	subtotal: money,
	discount: money,
	tax: money,
	total: money,
	staffId: z.string(),
	note: z.optional(z.string())
});
export type OrderDraft = z.input<typeof orderDraftSchema>;

export const orderSchema = z.extend(orderDraftSchema, {
	id: z.string().check(z.minLength(1)),
	number: z.string().check(z.minLength(1)),
	createdAt: ms,
	updatedAt: ms,
	day: dayString,
	status: orderStatusSchema,
	/** Sum of tips on tenders that are not voided. */
	tip: money,
	/** Sum of amounts applied to the order by tenders that are not voided (excludes tips). */
	paid: money,
	/** Sum of approved refunds (tip included when a tip was refunded). */
	refunded: money,
	deviceId: z.string()
});
export type Order = z.infer<typeof orderSchema>;

export const tenderSchema = z.object({
	id: z.string().check(z.minLength(1)),
	orderId: z.string().check(z.minLength(1)),
	/** The order's day, so end-of-day totals read tenders through one index. */
	day: dayString,
	kind: z.enum(['cash', 'card']),
	amount: money,
	tip: money,
	tendered: z.optional(money),
	change: z.optional(money),
	attemptId: z.optional(z.string()),
	status: z.enum(['completed', 'refunded', 'voided']),
	refundedAmount: money,
	createdAt: ms,
	/** Set on every change, so the server keeps the newest copy of a refunded or voided tender. */
	updatedAt: z.optional(ms),
	reference: z.optional(z.string()),
	cardBrand: z.optional(z.string()),
	maskedCard: z.optional(z.string()),
	authCode: z.optional(z.string()),
	/**
	 * Card only: the cash handed to the customer with the sale (cashback), as the terminal approved
	 * it. The card was charged `amount + tip + cashback`; the order's `paid` counts only `amount`.
	 */
	cashback: z.optional(money)
});
export type Tender = z.infer<typeof tenderSchema>;

export const attemptErrorSchema = z.object({ code: z.string(), message: z.string() });
export type AttemptError = z.infer<typeof attemptErrorSchema>;

/** The manager who approved a refund, void or hold release, and the server's record of it. */
export const approvalSchema = z.object({
	staffId: z.string().check(z.minLength(1)),
	approvalId: z.optional(z.string())
});
export type Approval = z.infer<typeof approvalSchema>;

/** One fuel line of a fuel-station sale (`FuelLine`); the lines add up to the sale's amount. */
export const fuelLineSchema = z.object({
	code: z.string().check(z.minLength(1)).check(z.maxLength(32)),
	quantity: z
		.string()
		.check(z.regex(/^\d{1,9}(\.\d{1,6})?$/, 'quantity must be litres, like "1.050"')),
	amount: money
}) satisfies z.ZodMiniType<DriverFuelLine>;
export type FuelLine = z.infer<typeof fuelLineSchema>;
export const fuelLinesSchema = z.array(fuelLineSchema).check(z.minLength(1)).check(z.maxLength(20));

export const paymentAttemptSchema = z.object({
	id: z.string().check(z.minLength(1)),
	orderId: z.string().check(z.minLength(1)),
	kind: attemptKindSchema,
	rail: railSchema,
	terminalId: z.string(),
	merchantOrderNo: z.string().check(z.minLength(1)).check(z.maxLength(32)),
	amount: money,
	tip: money,
	currency,
	/**
	 * A sale's extras, asked for when the attempt was created (so they survive a reload): the cash
	 * to hand to the customer, charged on top of `amount` and `tip`, and the fuel sold. What the
	 * terminal approved is in `outcome` (`cashback`) and on the tender (`sale-extras.ts`).
	 */
	cashback: z.optional(money),
	fuelLines: z.optional(fuelLinesSchema),
	state: attemptStateSchema,
	outcome: z.optional(outcomeSchema),
	origAttemptId: z.optional(z.string()),
	approval: z.optional(approvalSchema),
	error: z.optional(attemptErrorSchema),
	/** Set when a manager resolved an attempt the terminal could not settle (`resolve.ts`). */
	resolution: z.optional(resolutionSchema),
	createdAt: ms,
	updatedAt: ms
});
export type PaymentAttempt = z.infer<typeof paymentAttemptSchema>;

export const journalEntitySchema = z.enum(['order', 'attempt', 'tender']);
export type JournalEntity = z.infer<typeof journalEntitySchema>;

export type JournalEventType =
	| 'order.created'
	| 'order.updated'
	| 'order.paid'
	| 'order.status'
	| 'order.cancelled'
	| 'attempt.created'
	| 'attempt.state'
	/** A reconciliation query of the attempt and its answer (`evidence.ts`). */
	| 'attempt.queried'
	/** A manager's resolution, with the evidence it was decided on (`resolve.ts`). */
	| 'attempt.resolved'
	/**
	 * The terminal reported a result that contradicts the attempt's final state (e.g. approved,
	 * after a manager resolved it as not charged): kept, and shown on the order screen.
	 */
	| 'attempt.contradicted'
	| 'tender.added'
	| 'tender.refunded'
	| 'tender.voided'
	| 'tender.tip_adjusted';

export const journalEventSchema = z.object({
	seq: z.int().check(z.positive()),
	at: ms,
	entity: journalEntitySchema,
	entityId: z.string(),
	orderId: z.string(),
	type: z.string(),
	from: z.optional(z.string()),
	to: z.optional(z.string()),
	data: z.optional(z.record(z.string(), z.unknown()))
});
export type JournalEvent = z.infer<typeof journalEventSchema>;
/** An event before IndexedDB gave it its `seq`. */
export type NewJournalEvent = Omit<JournalEvent, 'seq'> & { type: JournalEventType };

export const journalExportSchema = z.object({
	format: z.literal('pos-journal'),
	version: z.literal(1),
	exportedAt: ms,
	deviceId: z.string(),
	orders: z.array(orderSchema),
	tenders: z.array(tenderSchema),
	attempts: z.array(paymentAttemptSchema),
	events: z.array(journalEventSchema)
});
export type JournalExport = z.infer<typeof journalExportSchema>;

/** End-of-day figures for the orders of one day. */
export interface DayTotals {
	day: string;
	/** Number of orders created that day, whatever their status. */
	orders: number;
	/** Order totals of sold orders (paid, partially refunded or refunded). */
	gross: number;
	tax: number;
	tips: number;
	/**
	 * Cash and card taken for the day's orders (voided tenders excluded, tips excluded). `card` is
	 * what the cards were charged, so it includes cashback.
	 */
	cash: number;
	card: number;
	/**
	 * Cash paid out of the drawer: cashback handed over with card sales (voided ones excluded). The
	 * cash expected in the drawer is `cash - cashPaidOut`. Rows kept before it existed lack it.
	 */
	cashPaidOut: number;
	refunds: number;
	byStatus: Record<OrderStatus, { count: number; total: number }>;
}

export interface ListOrdersQuery {
	/** An order number, or its start, or just the digits of this device's counter. */
	search?: string;
	day?: string;
	status?: OrderStatus;
	minAmount?: number;
	maxAmount?: number;
	limit: number;
	offset?: number;
}
