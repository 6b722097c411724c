/** The server's view of a cloud order as the till's `Outcome`. Pure. */
import type { Outcome } from '../driver';
import type { CloudOrderView } from './cloud-api';

/** The server's view of an order as the till's outcome; null while it is not final. */
export function outcomeOf(order: CloudOrderView): Outcome | null {
	switch (order.state) {
		case 'approved':
		case 'declined':
		case 'cancelled':
			return {
				...order.outcome,
				status: order.state,
				reference: order.outcome?.reference ?? order.reference
			};
		case 'failed':
			// The gateway refused the order or never got it: no money moved.
			return {
				status: 'declined',
				message: order.outcome?.message ?? 'The gateway refused the order.',
				code: order.outcome?.code
			};
		default:
			return null;
	}
}
