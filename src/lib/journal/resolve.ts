/**
 * Resolving an attempt the terminal can neither answer nor cancel (a key mismatch, a replaced
 * terminal, a result lost for good): when a manager may do it, and what it records. Pure; the
 * journal's `resolve` writes it and `resolve-attempt.ts` wires it to the terminal and the server.
 *
 * A manager may resolve only an `unknown` attempt, and only once the automatic checks have run out:
 * the terminal's driver says so (`Outcome.exhausted`), or the attempt has been unknown for
 * `RESOLVE_AFTER_MS` with the terminal answering all along, but not knowing it (`not_found`).
 */
import type { Outcome } from '../terminals/driver';
import type { QueryEvidence } from './evidence';
import type { Resolution, ResolutionVerdict } from './resolution-schema';
import type { PaymentAttempt } from './types';

/** How long an attempt the terminal answers for but does not know stays the terminal's to settle. */
export const RESOLVE_AFTER_MS = 10 * 60_000;

export type ResolveOffer =
	| { resolvable: true; because: 'exhausted' | 'not_found'; headline: string }
	| { resolvable: false; why: string };

/** When an `unknown` attempt became unknown: its last move (nothing else changes `updatedAt`). */
function unknownSince(attempt: Pick<PaymentAttempt, 'updatedAt'>): number {
	return attempt.updatedAt;
}

/** Whether a manager may resolve `attempt` now, from the evidence of its queries. */
export function resolveOffer(
	attempt: Pick<PaymentAttempt, 'state' | 'updatedAt'>,
	evidence: readonly QueryEvidence[],
	now: number
): ResolveOffer {
	if (attempt.state !== 'unknown') {
		return { resolvable: false, why: 'Only a payment whose result is unknown can be resolved.' };
	}
	const answered = evidence.filter((q) => q.answer);
	const last = answered.at(-1);
	if (last?.answer?.exhausted) {
		return {
			resolvable: true,
			because: 'exhausted',
			headline: last.answer.message ?? 'The terminal cannot tell what became of this payment.'
		};
	}
	const since = unknownSince(attempt);
	const latest = evidence.at(-1);
	// The terminal must be answering now, and have not known the attempt for the whole wait.
	const notFoundSince = answered.find(
		(q, i) =>
			q.answeredAt >= since && answered.slice(i).every((x) => x.answer?.finding === 'not_found')
	);
	if (!latest?.answer || latest.answer.finding !== 'not_found' || !notFoundSince) {
		return {
			resolvable: false,
			why: latest?.error
				? 'The terminal cannot be reached: the POS keeps asking it.'
				: 'The POS is still asking the terminal.'
		};
	}
	const from = Math.max(since, notFoundSince.askedAt);
	if (now - from < RESOLVE_AFTER_MS) {
		const minutes = Math.ceil((RESOLVE_AFTER_MS - (now - from)) / 60_000);
		return {
			resolvable: false,
			why: `The terminal does not know this payment. If it still does not in ${minutes} min, a manager can resolve it.`
		};
	}
	return {
		resolvable: true,
		because: 'not_found',
		headline: 'The terminal answers but does not know this payment.'
	};
}

export class ResolveError extends Error {
	readonly code = 'resolve_refused';
	constructor(message: string) {
		super(message);
		this.name = 'ResolveError';
	}
}

export interface ResolveInput {
	verdict: ResolutionVerdict;
	reason: string;
	/** "Charged": the terminal's reference for the transaction. */
	reference?: string;
}

/**
 * The outcome the journal settles a resolved attempt with. "Not charged" cancels it; "charged"
 * approves it for what it asked, with the terminal's answer when it confirmed the reference
 * (`verified`), else with the reference the manager gave. A reference the terminal says is another
 * transaction, declined or unknown, is refused.
 */
export function resolutionOutcome(
	attempt: Pick<PaymentAttempt, 'amount' | 'tip'>,
	input: ResolveInput,
	verified?: Outcome
): { outcome: Outcome; verified?: boolean } {
	if (input.verdict === 'not_charged') {
		return {
			outcome: { status: 'cancelled', message: 'Resolved by a manager: not charged.' }
		};
	}
	const reference = input.reference?.trim();
	if (!reference) throw new ResolveError("Enter the terminal's reference for the charge.");
	// A terminal that cannot be read (a key mismatch) cannot confirm anything: not checked.
	if (!verified || (verified.status === 'unknown' && verified.exhausted)) {
		return {
			outcome: {
				status: 'approved',
				reference,
				message: 'Resolved by a manager: charged (reference not checked by the terminal).'
			},
			verified: false
		};
	}
	if (verified.status !== 'approved') {
		throw new ResolveError(
			`The terminal does not confirm a charge with reference ${reference}${verified.message ? `: ${verified.message}` : '.'}`
		);
	}
	const charged = attempt.amount + attempt.tip;
	if (verified.amount !== undefined && verified.amount !== charged) {
		throw new ResolveError(
			`The transaction with reference ${reference} is for another amount: not this payment.`
		);
	}
	return {
		outcome: {
			...verified,
			reference,
			message: 'Resolved by a manager: charged, confirmed by the terminal.'
		},
		verified: true
	};
}

/** The resolution as the attempt keeps it. */
export function resolutionRecord(
	input: ResolveInput,
	approval: { staffId: string; approvalId: string },
	at: number,
	verified?: boolean
): Resolution {
	const resolution: Resolution = {
		verdict: input.verdict,
		staffId: approval.staffId,
		approvalId: approval.approvalId,
		reason: input.reason.trim(),
		at
	};
	const reference = input.reference?.trim();
	if (input.verdict === 'charged' && reference) resolution.reference = reference;
	if (verified !== undefined) resolution.verified = verified;
	return resolution;
}

/** The evidence a resolution was decided on, as its `attempt.resolved` event keeps it. */
export function evidenceSummary(evidence: readonly QueryEvidence[]): Record<string, unknown>[] {
	return evidence.map((q) => ({
		askedAt: q.askedAt,
		answeredAt: q.answeredAt,
		...(q.answer ? { answer: q.answer } : {}),
		...(q.error ? { error: q.error } : {})
	}));
}
