/**
 * What a tablet uploads to `POST /api/sync`: records from its journal and the journal's events.
 * The envelope is checked as a whole (a malformed one is a 400); each record on its own, so one
 * bad record is refused without holding back the rest (see `judge-batch.ts`). Records are
 * validated with the journal's own schemas (one source of truth) but kept loose, so a field added
 * by a newer till is stored rather than dropped; every string in them, known field or not, must be
 * storable text, and days must be real dates.
 */
import { z } from 'zod/mini';
import {
	journalEventSchema,
	orderSchema,
	paymentAttemptSchema,
	tenderSchema
} from '$lib/journal/types';
import { findUncleanText, UNCLEAN_TEXT_MESSAGE } from '$lib/text/clean-text';
import { isCalendarDay } from '$lib/orders/calendar-day';

export const MAX_SYNC_RECORDS = 500;

/** The envelope: arrays, and events with a seq (the till acknowledges by seq). */
export const syncEnvelopeSchema = z.object({
	/** Optional: the device is the token's. When sent, it must be that device. */
	deviceId: z.optional(z.string()),
	orders: z._default(z.array(z.unknown()), []),
	attempts: z._default(z.array(z.unknown()), []),
	tenders: z._default(z.array(z.unknown()), []),
	events: z._default(z.array(z.unknown()), [])
});
/** The till acknowledges by seq: an event without one makes the envelope malformed. */
const eventHeadsSchema = z.array(z.looseObject({ seq: z.int().check(z.positive()) }));
export type SyncEnvelope = z.infer<typeof syncEnvelopeSchema> & {
	events: z.infer<typeof eventHeadsSchema>;
};

const calendarDay = z
	.string()
	.check(z.refine(isCalendarDay, 'day must be a real date (YYYY-MM-DD)'));

/** Refuses any string (value or key, in any field) that PostgreSQL could not store. */
function storable<T extends z.ZodMiniType>(schema: T) {
	return schema.check(
		z.superRefine((value, ctx) => {
			const bad = findUncleanText(value, 16);
			if (!bad) return;
			ctx.addIssue({
				code: 'custom',
				path: bad.path ? bad.path.split('.') : [],
				message: bad.reason === 'depth' ? 'is nested too deeply' : UNCLEAN_TEXT_MESSAGE
			});
		})
	);
}

export const syncOrderSchema = storable(
	z.looseObject(z.extend(orderSchema, { day: calendarDay }).shape)
);
/**
 * A tender's `updatedAt` lets a later change (refund, void) replace the earlier version. Journals
 * written before it existed send none: `createdAt` stands in and the first version wins.
 */
export const syncTenderSchema = storable(
	z.looseObject(z.extend(tenderSchema, { day: calendarDay }).shape)
);
export const syncAttemptSchema = storable(z.looseObject(paymentAttemptSchema.shape));
export const syncEventSchema = storable(z.looseObject(journalEventSchema.shape));

export type SyncOrder = z.infer<typeof syncOrderSchema>;
export type SyncAttempt = z.infer<typeof syncAttemptSchema>;
export type SyncTender = z.infer<typeof syncTenderSchema>;
export type SyncEvent = z.infer<typeof syncEventSchema>;
export type SyncEntity = 'order' | 'attempt' | 'tender' | 'event';

export interface SyncBatch {
	orders: SyncOrder[];
	attempts: SyncAttempt[];
	tenders: SyncTender[];
	events: SyncEvent[];
}

export interface SyncCounts {
	orders: number;
	attempts: number;
	tenders: number;
	events: number;
}

export interface Issue {
	path: string;
	message: string;
}

export type SyncParse =
	| { ok: true; envelope: SyncEnvelope }
	| { ok: false; status: 400; error: 'bad_request'; message: string; issues: Issue[] }
	| { ok: false; status: 413; error: 'too_many_records'; message: string; issues: Issue[] }
	| { ok: false; status: 403; error: 'wrong_device'; message: string; issues: Issue[] };

const MAX_ISSUES = 20;

export function toIssues(error: z.core.$ZodError): Issue[] {
	return error.issues
		.slice(0, MAX_ISSUES)
		.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/**
 * Checks an upload's envelope in the order a till can act on: the shape, then the size (413
 * before the cost of validating 10 000 records), then whose journal it is, then the events' seqs.
 * The records inside are
 * checked one by one afterwards (`parseRecord`).
 */
export function parseSyncBody(body: unknown, deviceId: string): SyncParse {
	const envelope = syncEnvelopeSchema.safeParse(body);
	if (!envelope.success) {
		return {
			ok: false,
			status: 400,
			error: 'bad_request',
			message: 'The sync upload is malformed.',
			issues: toIssues(envelope.error)
		};
	}
	const { orders, attempts, tenders, events } = envelope.data;
	const count = orders.length + attempts.length + tenders.length + events.length;
	if (count > MAX_SYNC_RECORDS) {
		return {
			ok: false,
			status: 413,
			error: 'too_many_records',
			message: `At most ${MAX_SYNC_RECORDS} records per upload; this one has ${count}.`,
			issues: []
		};
	}
	if (envelope.data.deviceId !== undefined && envelope.data.deviceId !== deviceId) {
		return {
			ok: false,
			status: 403,
			error: 'wrong_device',
			message: 'This upload belongs to another device.',
			issues: []
		};
	}
	const heads = eventHeadsSchema.safeParse(envelope.data.events);
	if (!heads.success) {
		return {
			ok: false,
			status: 400,
			error: 'bad_request',
			message: 'The sync upload is malformed: every event needs its seq.',
			issues: toIssues(heads.error).map((i) => ({ ...i, path: `events.${i.path}` }))
		};
	}
	return { ok: true, envelope: { ...envelope.data, events: heads.data } };
}

const RECORD_SCHEMAS = {
	order: syncOrderSchema,
	attempt: syncAttemptSchema,
	tender: syncTenderSchema,
	event: syncEventSchema
} as const;

type RecordOf = {
	order: SyncOrder;
	attempt: SyncAttempt;
	tender: SyncTender;
	event: SyncEvent;
};

/** One record of the upload, or why it cannot be believed as one (`path: message`). */
export function parseRecord<E extends SyncEntity>(
	entity: E,
	raw: unknown
): { ok: true; record: RecordOf[E] } | { ok: false; message: string } {
	const parsed = RECORD_SCHEMAS[entity].safeParse(raw);
	if (parsed.success) return { ok: true, record: parsed.data as RecordOf[E] };
	const issue = toIssues(parsed.error)[0];
	return {
		ok: false,
		message: issue ? `${issue.path || '(record)'}: ${issue.message}` : 'is not valid'
	};
}
