import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, canTransition, isFinal, nextState } from './attempt-state';
import { ATTEMPT_STATES, type AttemptState } from './types';

const allowed: Record<AttemptState, AttemptState[]> = {
	created: ['sent', 'cancelled'],
	sent: ['approved', 'declined', 'cancelled', 'unknown'],
	unknown: [],
	approved: [],
	declined: [],
	cancelled: []
};

describe('attempt state machine', () => {
	it('allows exactly the documented transitions without reconciliation', () => {
		for (const from of ATTEMPT_STATES) {
			for (const to of ATTEMPT_STATES) {
				expect(canTransition(from, to), `${from} -> ${to}`).toBe(allowed[from].includes(to));
			}
		}
	});

	it('settles unknown only by reconciliation, and only to a final state', () => {
		for (const to of ['approved', 'declined', 'cancelled'] as const) {
			expect(canTransition('unknown', to)).toBe(false);
			expect(canTransition('unknown', to, { reconciled: true })).toBe(true);
		}
		for (const to of ['created', 'sent', 'unknown'] as const) {
			expect(canTransition('unknown', to, { reconciled: true })).toBe(false);
		}
	});

	it('never leaves a final state, reconciled or not', () => {
		fc.assert(
			fc.property(
				fc.constantFrom<AttemptState>('approved', 'declined', 'cancelled'),
				fc.constantFrom(...ATTEMPT_STATES),
				fc.boolean(),
				(from, to, reconciled) => {
					expect(isFinal(from)).toBe(true);
					expect(() => nextState(from, to, { reconciled })).toThrow(IllegalTransitionError);
				}
			)
		);
	});

	it('names both states in the error', () => {
		try {
			nextState('created', 'approved');
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(IllegalTransitionError);
			expect(error).toMatchObject({ from: 'created', to: 'approved', code: 'illegal_transition' });
		}
		expect(nextState('sent', 'unknown')).toBe('unknown');
	});
});
