/**
 * Evidence: every reconciliation query of an attempt and its answer, with times, as
 * `attempt.queried` events (append-only, like every event). It is what the order screen shows for
 * an attempt whose result is unknown and what a manager resolves it on (`resolve.ts`). Pure.
 *
 * The till asks every few seconds while an attempt is unknown; a repeated answer is recorded again
 * only after `REPEAT_EVIDENCE_MS`, so hours of the same answer stay a short list.
 */
import { z } from 'zod/mini';
import type { Outcome } from '../terminals/driver';
import type { AttemptError, JournalEvent, NewJournalEvent, PaymentAttempt } from './types';

/** A repeated answer is recorded again only this long after the last one recorded. */
export const REPEAT_EVIDENCE_MS = 60_000;

const answerSchema = z.object({
	status: z.enum(['approved', 'declined', 'cancelled', 'unknown']),
	finding: z.optional(z.enum(['not_found', 'never_received', 'key_mismatch'])),
	exhausted: z.optional(z.boolean()),
	code: z.optional(z.string()),
	message: z.optional(z.string()),
	reference: z.optional(z.string())
});
const queryDataSchema = z.object({
	askedAt: z.int().check(z.nonnegative()),
	/** The terminal's answer, or why it could not be asked (unreachable, timed out…). */
	answer: z.optional(answerSchema),
	error: z.optional(z.object({ code: z.string(), message: z.string() }))
});
export type QueryAnswer = z.infer<typeof answerSchema>;

export interface QueryEvidence {
	askedAt: number;
	/** When the answer (or the failure) came: the event's time. */
	answeredAt: number;
	answer?: QueryAnswer;
	error?: AttemptError;
}

/** What of an outcome is evidence (no card details beyond the reference). */
export function answerOf(outcome: Outcome): QueryAnswer {
	const answer: QueryAnswer = { status: outcome.status };
	if (outcome.finding) answer.finding = outcome.finding;
	if (outcome.exhausted) answer.exhausted = true;
	if (outcome.code !== undefined) answer.code = outcome.code;
	if (outcome.message) answer.message = outcome.message;
	if (outcome.reference) answer.reference = outcome.reference;
	return answer;
}

/** The queries of one attempt, oldest first, from its events (unreadable ones are skipped). */
export function evidenceOf(events: readonly JournalEvent[], attemptId: string): QueryEvidence[] {
	const found: QueryEvidence[] = [];
	for (const event of events) {
		if (event.type !== 'attempt.queried' || event.entityId !== attemptId) continue;
		const data = queryDataSchema.safeParse(event.data);
		if (!data.success) continue;
		found.push({ ...data.data, answeredAt: event.at });
	}
	return found.sort((a, b) => a.answeredAt - b.answeredAt);
}

function sameEvidence(a: QueryEvidence, b: Omit<QueryEvidence, 'answeredAt'>): boolean {
	return JSON.stringify([a.answer, a.error]) === JSON.stringify([b.answer, b.error]);
}

/** Whether a new query's result goes into the journal: a new answer, or an old one again later. */
export function shouldRecord(
	last: QueryEvidence | undefined,
	next: Omit<QueryEvidence, 'answeredAt'>,
	now: number
): boolean {
	return !last || !sameEvidence(last, next) || now - last.answeredAt >= REPEAT_EVIDENCE_MS;
}

/** The `attempt.queried` event of one query. */
export function queryEvent(
	attempt: Pick<PaymentAttempt, 'id' | 'orderId' | 'state'>,
	query: Omit<QueryEvidence, 'answeredAt'>,
	at: number
): NewJournalEvent {
	const data: Record<string, unknown> = { askedAt: query.askedAt };
	if (query.answer) data.answer = query.answer;
	if (query.error) data.error = query.error;
	return {
		entity: 'attempt',
		entityId: attempt.id,
		orderId: attempt.orderId,
		type: 'attempt.queried',
		from: attempt.state,
		data,
		at
	};
}

/** One line of evidence as the order screen shows it (no rail name, no vendor code). */
export function describeEvidence(query: QueryEvidence): string {
	if (query.error) return `No answer: ${query.error.message}`;
	const answer = query.answer;
	if (!answer) return 'No answer';
	const said = answer.message ? `: ${answer.message}` : '';
	switch (answer.finding) {
		case 'not_found':
			return `The terminal does not know this payment${said}`;
		case 'never_received':
			return `The terminal never received this payment${said}`;
		case 'key_mismatch':
			return `The terminal's answer could not be read${said}`;
		default:
			return `${answer.status}${said}`;
	}
}
