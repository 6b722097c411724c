/**
 * Asks a terminal about an attempt and records the query and its answer as evidence
 * (`evidence.ts`): the thin shell around `driver.query` that reconciliation uses.
 */
import { TerminalError, type Outcome, type TerminalDriver } from '../terminals/driver';
import { answerOf, evidenceOf, shouldRecord, type QueryEvidence } from './evidence';
import type { Journal } from './journal';
import type { PaymentAttempt } from './types';

export type AskResult = { ok: true; outcome: Outcome } | { ok: false; error: unknown };

async function record(
	journal: Journal,
	attempt: PaymentAttempt,
	query: Omit<QueryEvidence, 'answeredAt'>
): Promise<void> {
	const last = evidenceOf(await journal.eventsFor(attempt), attempt.id).at(-1);
	if (shouldRecord(last, query, journal.now())) await journal.recordQuery(attempt, query);
}

/** `driver.query` for `attempt`; the answer, or the failure, goes into the journal first. */
export async function askTerminal(
	journal: Journal,
	driver: TerminalDriver,
	attempt: PaymentAttempt
): Promise<AskResult> {
	const askedAt = journal.now();
	let result: AskResult;
	try {
		result = {
			ok: true,
			outcome: await driver.query({
				merchantOrderNo: attempt.merchantOrderNo,
				kind: attempt.kind,
				amount: attempt.amount,
				currency: attempt.currency
			})
		};
	} catch (error) {
		result = { ok: false, error };
	}
	const query: Omit<QueryEvidence, 'answeredAt'> = result.ok
		? { askedAt, answer: answerOf(result.outcome) }
		: {
				askedAt,
				error:
					result.error instanceof TerminalError
						? { code: result.error.code, message: result.error.message }
						: { code: 'error', message: String(result.error) }
			};
	// Evidence is an aid: a failure to store it never hides the terminal's answer.
	await record(journal, attempt, query).catch(() => undefined);
	return result;
}
