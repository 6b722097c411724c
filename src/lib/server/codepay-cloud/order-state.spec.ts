import { describe, expect, it } from 'vitest';
import { mayMove, stateOfTransStatus, type CloudOrderState } from './order-state';

const ALL: CloudOrderState[] = [
	'sending',
	'sent',
	'unknown',
	'approved',
	'declined',
	'cancelled',
	'failed'
];

describe('cloud order state', () => {
	it('moves an open order to anything but back to sending', () => {
		for (const from of ['sent', 'unknown'] as const) {
			for (const to of ALL) expect(mayMove(from, to)).toBe(to !== from && to !== 'sending');
		}
	});

	it('never leaves a final state, except a cancel that a payment beat', () => {
		for (const from of ['approved', 'declined', 'failed'] as const) {
			for (const to of ALL) expect(mayMove(from, to)).toBe(false);
		}
		expect(ALL.filter((to) => mayMove('cancelled', to))).toEqual(['approved']);
	});

	it('settles only on the final trans_status values', () => {
		expect([9, 0, 1, 2, 3, 7].map(stateOfTransStatus)).toEqual([
			null,
			null,
			'declined',
			'approved',
			'cancelled',
			null
		]);
	});
});
