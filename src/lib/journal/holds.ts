/**
 * Card pre-authorisations ("holds"). A hold is an approved `preauth` attempt; it is closed by an
 * approved `preauth_completion` (which charges the card and pays the order) or an approved
 * `preauth_cancel` (which releases it). Until then the order stays open with the hold on the card.
 */
import type { AttemptKind, PaymentAttempt } from './types';

/** Attempt kinds whose approval takes money from the card and adds a tender to the order. */
export const CHARGING_KINDS: readonly AttemptKind[] = ['sale', 'preauth_completion'];

/** Whether an approved attempt of this kind charged the card (and so can be refunded or voided). */
export function isCharge(kind: AttemptKind): boolean {
	return CHARGING_KINDS.includes(kind);
}

/** The approved holds of an order that are neither completed nor released yet. */
export function openHolds(attempts: readonly PaymentAttempt[]): PaymentAttempt[] {
	const closed = new Set(
		attempts
			.filter(
				(a) =>
					(a.kind === 'preauth_completion' || a.kind === 'preauth_cancel') &&
					a.state === 'approved' &&
					a.origAttemptId
			)
			.map((a) => a.origAttemptId)
	);
	return attempts.filter(
		(a) => a.kind === 'preauth' && a.state === 'approved' && !closed.has(a.id)
	);
}
