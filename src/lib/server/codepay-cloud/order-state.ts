/**
 * What the server believes of a cloud order, and how that may change. Pure.
 *
 * `sending` is written before the gateway is asked (the server's own write-ahead), `sent` once a
 * signed answer took the order, `unknown` when the answer was lost or not believable. The final
 * states come only from a signed `order.query` or a verified notification. A state never goes
 * backwards: a late "in progress" after "paid" changes nothing, and when a cancel races a payment,
 * the payment wins (a `cancelled` order that a signed message later shows paid is `approved`).
 */
import { TRANS_STATUS } from './methods';

export type CloudOrderState =
	| 'sending'
	| 'sent'
	| 'unknown'
	| 'approved'
	| 'declined'
	| 'cancelled'
	/** The gateway refused the request or it never left: no money moved. */
	| 'failed';

export const OPEN_STATES: readonly CloudOrderState[] = ['sending', 'sent', 'unknown'];

export function isOpen(state: CloudOrderState): boolean {
	return OPEN_STATES.includes(state);
}

/** The state a signed `trans_status` stands for; null while the terminal is still at it. */
export function stateOfTransStatus(status: number): CloudOrderState | null {
	if (status === TRANS_STATUS.success) return 'approved';
	if (status === TRANS_STATUS.failed) return 'declined';
	if (status === TRANS_STATUS.cancelled) return 'cancelled';
	return null;
}

/** Whether `next` may replace `current`. */
export function mayMove(current: CloudOrderState, next: CloudOrderState): boolean {
	if (current === next) return false;
	if (isOpen(current)) return next !== 'sending';
	// Payment wins over a cancel that raced it; nothing else leaves a final state.
	return current === 'cancelled' && next === 'approved';
}
