/**
 * What a tablet uploads to `POST /api/sync`: records from its journal and the journal's events.
 * The records are validated with the journal's own schemas (one source of truth) but kept loose,
 * so a field added by a newer till is stored rather than dropped.
 */
import { z } from 'zod';
import {
	journalEventSchema,
	orderSchema,
	paymentAttemptSchema,
	tenderSchema
} from '$lib/journal/types';

export const MAX_SYNC_RECORDS = 500;

export const syncEnvelopeSchema = z.object({
	deviceId: z.string().min(1),
	orders: z.array(z.unknown()).default([]),
	attempts: z.array(z.unknown()).default([]),
	tenders: z.array(z.unknown()).default([]),
	events: z.array(z.unknown()).default([])
});

export const syncOrderSchema = orderSchema.loose();
/**
 * A tender's `updatedAt` lets a later change (refund, void) replace the earlier version. Journals
 * written before it existed send none: `createdAt` stands in and the first version wins.
 */
export const syncTenderSchema = tenderSchema.loose();
export const syncAttemptSchema = paymentAttemptSchema.loose();
export const syncEventSchema = journalEventSchema.loose();

export const syncBatchSchema = z.object({
	deviceId: z.string().min(1),
	orders: z.array(syncOrderSchema),
	attempts: z.array(syncAttemptSchema),
	tenders: z.array(syncTenderSchema),
	events: z.array(syncEventSchema)
});
export type SyncBatch = z.infer<typeof syncBatchSchema>;
export type SyncOrder = z.infer<typeof syncOrderSchema>;
export type SyncAttempt = z.infer<typeof syncAttemptSchema>;
export type SyncTender = z.infer<typeof syncTenderSchema>;
export type SyncEvent = z.infer<typeof syncEventSchema>;

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
	| { ok: true; batch: SyncBatch }
	| { ok: false; status: 400; error: 'bad_request'; message: string; issues: Issue[] }
	| { ok: false; status: 413; error: 'too_many_records'; message: string; issues: Issue[] }
	| { ok: false; status: 403; error: 'wrong_device'; message: string; issues: Issue[] };

const MAX_ISSUES = 20;

export function toIssues(error: z.ZodError): Issue[] {
	return error.issues
		.slice(0, MAX_ISSUES)
		.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/**
 * Checks an upload in the order a till can act on: the shape, then the size (413 before the cost
 * of validating 10 000 records), then whose journal it is, then every record.
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
	if (envelope.data.deviceId !== deviceId) {
		return {
			ok: false,
			status: 403,
			error: 'wrong_device',
			message: 'This upload belongs to another device.',
			issues: []
		};
	}
	const batch = syncBatchSchema.safeParse(envelope.data);
	if (!batch.success) {
		return {
			ok: false,
			status: 400,
			error: 'bad_request',
			message: 'Some records in the sync upload are invalid; nothing was stored.',
			issues: toIssues(batch.error)
		};
	}
	return { ok: true, batch: batch.data };
}
