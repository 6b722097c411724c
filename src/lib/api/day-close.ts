/**
 * What a manager checks at the day's close (`GET /api/reconciliation`): the card payments only a
 * till vouches for, to match against the terminals' own batch reports, and the records sync refused.
 */
import { z } from 'zod/mini';
import { apiCall, type Credentials } from './client';

const tillReported = z.object({
	deviceId: z.string(),
	tender: z.looseObject({
		id: z.string(),
		amount: z.number(),
		tip: z.number(),
		createdAt: z.number(),
		status: z.string(),
		refundedAmount: z.number(),
		/** Cash handed out, charged to the card on top of the sale. */
		cashback: z.optional(z.number()),
		reference: z.optional(z.string()),
		cardBrand: z.optional(z.string()),
		maskedCard: z.optional(z.string()),
		authCode: z.optional(z.string())
	}),
	attempt: z.nullable(z.looseObject({ terminalId: z.string(), merchantOrderNo: z.string() }))
});

const refused = z.object({
	deviceId: z.string(),
	entity: z.string(),
	id: z.string(),
	reason: z.string(),
	message: z.string(),
	receivedAt: z.number()
});

export const dayCloseSchema = z.object({
	day: z.string(),
	tillReported: z.array(tillReported),
	refused: z.array(refused)
});
export type DayClose = z.infer<typeof dayCloseSchema>;

export function fetchDayClose(day: string, credentials: Credentials): Promise<DayClose> {
	return apiCall(`/api/reconciliation?day=${encodeURIComponent(day)}`, dayCloseSchema, {
		credentials
	});
}
