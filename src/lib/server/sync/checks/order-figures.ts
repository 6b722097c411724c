/**
 * An order's figures must add up: its lines priced again with the till's own pricing
 * (`$lib/orders/pricing.ts`), its totals the sum of those lines, and `paid`, `tip`, `refunded` and
 * its status what its tenders make them. So a till cannot claim `paid 99999999` on a total of 100,
 * nor a discount it did not compute. Pure.
 */
import { deriveOrderStatus } from '$lib/journal/order-status';
import type { Order, Tender } from '$lib/journal/types';
import { priceOrder, type OrderTotals } from '$lib/orders/pricing';
import { refuse, type Refusal } from './refusal';

const LINE_FIGURES = ['lineDiscount', 'orderDiscountShare', 'net', 'tax', 'total'] as const;
const ORDER_FIGURES = ['subtotal', 'discount', 'tax', 'total'] as const;

function price(order: Order): OrderTotals | string {
	try {
		return priceOrder(order.lines, order.orderDiscount, order.currency);
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/** `tenders`: every tender of the order the server will hold, this batch's versions first. */
export function checkOrderFigures(order: Order, tenders: readonly Tender[]): Refusal | null {
	const wrong = (message: string) => refuse('figures', message);
	const priced = price(order);
	if (typeof priced === 'string') return wrong(`cannot be priced: ${priced}`);
	for (const [i, line] of order.lines.entries()) {
		const expected = priced.lines[i]!;
		for (const key of LINE_FIGURES) {
			if (line[key] !== expected[key]) {
				return wrong(`line ${i + 1} has ${key} ${line[key]}; its price makes ${expected[key]}`);
			}
		}
	}
	for (const key of ORDER_FIGURES) {
		if (order[key] !== priced[key]) {
			return wrong(`has ${key} ${order[key]}; its lines make ${priced[key]}`);
		}
	}
	const live = tenders.filter((t) => t.status !== 'voided');
	const paid = live.reduce((n, t) => n + t.amount, 0);
	const tip = live.reduce((n, t) => n + t.tip, 0);
	const refunded = tenders.reduce((n, t) => n + t.refundedAmount, 0);
	if (order.paid !== paid) return wrong(`says ${order.paid} paid; its payments make ${paid}`);
	if (order.tip !== tip) return wrong(`says ${order.tip} in tips; its payments make ${tip}`);
	if (order.refunded !== refunded) {
		return wrong(`says ${order.refunded} refunded; its payments make ${refunded}`);
	}
	if (order.paid > order.total) return wrong(`is paid ${order.paid} on a total of ${order.total}`);
	if (order.refunded > order.paid + order.tip) {
		return wrong(`refunds ${order.refunded}, more than the ${order.paid + order.tip} paid`);
	}
	const status = deriveOrderStatus(order, tenders);
	if (order.status !== status) return wrong(`is ${order.status}; its payments make it ${status}`);
	if (order.status === 'cancelled' && live.length > 0) return wrong('is cancelled with payments');
	return null;
}
