/**
 * A manager resolves an attempt (the shell of `resolve.ts`): checks that it may be resolved now,
 * asks the terminal about a "charged" reference where the rail can look one up, and has the
 * journal record the resolution with its evidence.
 */
import type { Outcome, TerminalDriver } from '../terminals/driver';
import { evidenceOf } from './evidence';
import { JournalError } from './errors';
import type { Journal } from './journal';
import {
	ResolveError,
	evidenceSummary,
	resolutionOutcome,
	resolutionRecord,
	resolveOffer,
	type ResolveInput
} from './resolve';
import type { PaymentAttempt } from './types';

export interface ResolveApproval {
	staffId: string;
	/** The server's approval for resolving this very attempt with this verdict. */
	approvalId: string;
}

export async function resolveAttempt(
	journal: Journal,
	driver: TerminalDriver | undefined,
	attemptId: string,
	input: ResolveInput,
	approval: ResolveApproval
): Promise<PaymentAttempt> {
	const attempt = await journal.getAttempt(attemptId);
	if (!attempt) throw new JournalError('not_found', 'This payment attempt is not in the journal.');
	if (!input.reason.trim()) throw new ResolveError('Say why: the journal keeps the reason.');
	const evidence = evidenceOf(await journal.eventsFor(attempt), attempt.id);
	const offer = resolveOffer(attempt, evidence, journal.now());
	if (!offer.resolvable) throw new ResolveError(offer.why);
	let verified: Outcome | undefined;
	const reference = input.reference?.trim();
	if (input.verdict === 'charged' && reference && driver?.queryByReference) {
		try {
			verified = await driver.queryByReference(reference, {
				merchantOrderNo: attempt.merchantOrderNo,
				kind: attempt.kind,
				amount: attempt.amount,
				currency: attempt.currency
			});
		} catch {
			// The terminal cannot be asked now: the manager's word stands, marked as not checked.
		}
	}
	const { outcome, verified: checked } = resolutionOutcome(attempt, input, verified);
	const resolution = resolutionRecord(input, approval, journal.now(), checked);
	return journal.resolve(attempt.id, outcome, resolution, evidenceSummary(evidence));
}
