import { describe, expect, it } from 'vitest';
import type { QueryEvidence } from './evidence';
import { RESOLVE_AFTER_MS, ResolveError, resolutionOutcome, resolveOffer } from './resolve';

const T0 = 1_000_000;
const unknownAttempt = { state: 'unknown' as const, updatedAt: T0, amount: 500, tip: 50 };
const notFound = (at: number): QueryEvidence => ({
	askedAt: at - 10,
	answeredAt: at,
	answer: { status: 'unknown', finding: 'not_found', message: 'Order not found' }
});
const unreachable = (at: number): QueryEvidence => ({
	askedAt: at - 10,
	answeredAt: at,
	error: { code: 'unreachable', message: 'No connection' }
});

describe('resolveOffer', () => {
	it('offers nothing for an attempt that is not unknown', () => {
		for (const state of ['created', 'sent', 'approved', 'declined', 'cancelled'] as const) {
			expect(resolveOffer({ state, updatedAt: T0 }, [], T0 + RESOLVE_AFTER_MS * 2)).toMatchObject({
				resolvable: false
			});
		}
	});

	it("offers at once when the driver says its checks have run out, with the driver's headline", () => {
		const evidence: QueryEvidence[] = [
			{
				askedAt: T0 + 1,
				answeredAt: T0 + 2,
				answer: {
					status: 'unknown',
					finding: 'key_mismatch',
					exhausted: true,
					message: 'Not charged: the POS-KEY does not match the terminal.'
				}
			}
		];
		expect(resolveOffer(unknownAttempt, evidence, T0 + 3)).toEqual({
			resolvable: true,
			because: 'exhausted',
			headline: 'Not charged: the POS-KEY does not match the terminal.'
		});
	});

	it('waits RESOLVE_AFTER_MS of "not found" answers before offering', () => {
		const early = [notFound(T0 + 1000), notFound(T0 + 60_000)];
		const waiting = resolveOffer(unknownAttempt, early, T0 + 60_001);
		expect(waiting.resolvable).toBe(false);
		if (!waiting.resolvable) expect(waiting.why).toMatch(/in \d+ min/);
		const later = [...early, notFound(T0 + RESOLVE_AFTER_MS + 2000)];
		expect(resolveOffer(unknownAttempt, later, T0 + RESOLVE_AFTER_MS + 2000)).toMatchObject({
			resolvable: true,
			because: 'not_found'
		});
	});

	it('does not offer while the terminal cannot be reached, however long', () => {
		const evidence = [notFound(T0 + 1000), unreachable(T0 + RESOLVE_AFTER_MS * 3)];
		const offer = resolveOffer(unknownAttempt, evidence, T0 + RESOLVE_AFTER_MS * 3);
		expect(offer).toMatchObject({ resolvable: false });
		if (!offer.resolvable) expect(offer.why).toMatch(/cannot be reached/);
	});

	it('counts the wait from the first of an unbroken run of "not found" answers', () => {
		// The terminal said "in progress" in between: the wait starts again after it.
		const evidence: QueryEvidence[] = [
			notFound(T0 + 1000),
			{ askedAt: T0 + 5000, answeredAt: T0 + 5001, answer: { status: 'unknown' } },
			notFound(T0 + RESOLVE_AFTER_MS),
			notFound(T0 + RESOLVE_AFTER_MS + 5000)
		];
		expect(resolveOffer(unknownAttempt, evidence, T0 + RESOLVE_AFTER_MS + 6000).resolvable).toBe(
			false
		);
		expect(resolveOffer(unknownAttempt, evidence, T0 + 2 * RESOLVE_AFTER_MS + 10).resolvable).toBe(
			true
		);
	});

	it('offers nothing before the terminal was ever asked', () => {
		expect(resolveOffer(unknownAttempt, [], T0 + RESOLVE_AFTER_MS * 10).resolvable).toBe(false);
	});
});

describe('resolutionOutcome', () => {
	const reason = 'Checked the terminal list';
	it('"not charged" cancels the attempt', () => {
		expect(resolutionOutcome(unknownAttempt, { verdict: 'not_charged', reason })).toEqual({
			outcome: { status: 'cancelled', message: 'Resolved by a manager: not charged.' }
		});
	});

	it('"charged" needs the terminal\'s reference', () => {
		expect(() => resolutionOutcome(unknownAttempt, { verdict: 'charged', reason })).toThrow(
			ResolveError
		);
	});

	it('"charged" without a way to check keeps the reference, marked as not checked', () => {
		const result = resolutionOutcome(unknownAttempt, {
			verdict: 'charged',
			reason,
			reference: ' T123 '
		});
		expect(result.verified).toBe(false);
		expect(result.outcome).toMatchObject({ status: 'approved', reference: 'T123' });
	});

	it('"charged" on a terminal that cannot be read stays not checked, not refused', () => {
		const result = resolutionOutcome(
			unknownAttempt,
			{ verdict: 'charged', reason, reference: 'T123' },
			{ status: 'unknown', finding: 'key_mismatch', exhausted: true }
		);
		expect(result).toMatchObject({ verified: false, outcome: { status: 'approved' } });
	});

	it('"charged" is refused when the terminal does not confirm the reference', () => {
		const input = { verdict: 'charged' as const, reason, reference: 'T123' };
		expect(() =>
			resolutionOutcome(unknownAttempt, input, { status: 'unknown', finding: 'not_found' })
		).toThrow(/does not confirm/);
		expect(() =>
			resolutionOutcome(unknownAttempt, input, { status: 'approved', amount: 999 })
		).toThrow(/another amount/);
		expect(
			resolutionOutcome(unknownAttempt, input, {
				status: 'approved',
				amount: 550,
				cardBrand: 'Visa'
			})
		).toMatchObject({
			verified: true,
			outcome: { status: 'approved', reference: 'T123', cardBrand: 'Visa', amount: 550 }
		});
	});
});
