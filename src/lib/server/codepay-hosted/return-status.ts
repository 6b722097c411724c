/**
 * What a return page (or anyone holding the reference) is told of a hosted order: its status in
 * the customer's words, nothing else. Pure.
 */
import { isOpen } from '../codepay-cloud/order-state';
import type { CloudOrder } from '../store/cloud-order-store';

export type ReturnStatus = 'paid' | 'failed' | 'cancelled' | 'expired' | 'confirming';

export function returnStatusOf(order: CloudOrder): ReturnStatus {
	if (order.state === 'approved') return 'paid';
	if (isOpen(order.state)) return 'confirming';
	if (order.state === 'cancelled') return 'cancelled';
	// Closed by the gateway once its validity ran out: the customer let the link expire.
	if (order.state === 'declined' && order.updatedAt >= order.expiresAt) return 'expired';
	return 'failed';
}
