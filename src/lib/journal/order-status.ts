/** Pure order arithmetic: what is still due, and which status the payments put the order in. */
import type { Order, OrderStatus, Tender } from './types';

export function remainingDue(order: Pick<Order, 'total' | 'paid'>): number {
	return Math.max(0, order.total - order.paid);
}

/**
 * The status an order's amounts and tenders imply. `cancelled` is only ever set by hand and stays.
 * An order whose every tender was voided is `voided`; one still partly covered stays `open`.
 */
export function deriveOrderStatus(
	order: Pick<Order, 'status' | 'total' | 'paid' | 'tip' | 'refunded'>,
	tenders: readonly Pick<Tender, 'status'>[]
): OrderStatus {
	if (order.status === 'cancelled') return 'cancelled';
	const live = tenders.filter((t) => t.status !== 'voided').length;
	if (order.refunded > 0) {
		return order.refunded >= order.paid + order.tip ? 'refunded' : 'partially_refunded';
	}
	if (live > 0 && order.paid >= order.total) return 'paid';
	if (live === 0 && tenders.length > 0) return 'voided';
	return 'open';
}

/** 'YYYY-MM-DD' in the till's local time zone: the business day the cashier sees. */
export function dayKey(ms: number): string {
	const d = new Date(ms);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function formatOrderNumber(prefix: string, counter: number): string {
	return `${prefix}-${String(counter).padStart(6, '0')}`;
}
