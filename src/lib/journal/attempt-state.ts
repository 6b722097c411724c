/**
 * The payment attempt state machine, pure. An attempt is `created` (committed, terminal not yet
 * contacted), then `sent`; a sent attempt ends `approved`, `declined` or `cancelled`, or becomes
 * `unknown` when the answer was lost. Only reconciliation (asking the terminal afterwards) may
 * settle an `unknown` attempt, so a lost answer is never guessed.
 */
import type { AttemptState } from './types';

export const FINAL_STATES: readonly AttemptState[] = ['approved', 'declined', 'cancelled'];

export interface TransitionOptions {
	/** The result comes from asking the terminal after the fact (start-up or a retry). */
	reconciled?: boolean;
}

export class IllegalTransitionError extends Error {
	readonly code = 'illegal_transition';
	readonly from: AttemptState;
	readonly to: AttemptState;
	constructor(from: AttemptState, to: AttemptState, reason: string) {
		super(`A payment attempt cannot go from ${from} to ${to}: ${reason}`);
		this.name = 'IllegalTransitionError';
		this.from = from;
		this.to = to;
	}
}

export function isFinal(state: AttemptState): boolean {
	return FINAL_STATES.includes(state);
}

/** Why `from -> to` is refused, or `null` when it is allowed. */
export function transitionRefusal(
	from: AttemptState,
	to: AttemptState,
	options: TransitionOptions = {}
): string | null {
	switch (from) {
		case 'created':
			return to === 'sent' || to === 'cancelled' ? null : 'nothing has been sent to the terminal';
		case 'sent':
			return to === 'created' || to === 'sent' ? 'the request is already with the terminal' : null;
		case 'unknown':
			if (to === 'created' || to === 'sent' || to === 'unknown')
				return 'the result is already unknown';
			return options.reconciled ? null : 'only reconciliation may settle an unknown result';
		default:
			return `${from} is final`;
	}
}

export function canTransition(
	from: AttemptState,
	to: AttemptState,
	options?: TransitionOptions
): boolean {
	return transitionRefusal(from, to, options) === null;
}

/** Returns `to`, or throws `IllegalTransitionError`. */
export function nextState(
	from: AttemptState,
	to: AttemptState,
	options?: TransitionOptions
): AttemptState {
	const refusal = transitionRefusal(from, to, options);
	if (refusal !== null) throw new IllegalTransitionError(from, to, refusal);
	return to;
}
