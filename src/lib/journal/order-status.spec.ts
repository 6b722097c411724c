import { describe, expect, it } from 'vitest';
import { dayKey, deriveOrderStatus, formatOrderNumber, remainingDue } from './order-status';

const order = { status: 'open' as const, total: 1000, paid: 0, tip: 0, refunded: 0 };
const done = { status: 'completed' as const };
const voided = { status: 'voided' as const };

describe('order status', () => {
	it('is paid exactly when a live tender covers the total', () => {
		expect(deriveOrderStatus({ ...order, paid: 999 }, [done])).toBe('open');
		expect(deriveOrderStatus({ ...order, paid: 1000 }, [done])).toBe('paid');
		expect(deriveOrderStatus({ ...order, total: 0 }, [])).toBe('open');
	});

	it('is voided only when every tender was voided', () => {
		expect(deriveOrderStatus(order, [voided])).toBe('voided');
		expect(deriveOrderStatus({ ...order, paid: 400 }, [voided, done])).toBe('open');
	});

	it('counts refunds against what was paid including tips', () => {
		const paid = { ...order, paid: 1000, tip: 100 };
		expect(deriveOrderStatus({ ...paid, refunded: 1000 }, [done])).toBe('partially_refunded');
		expect(deriveOrderStatus({ ...paid, refunded: 1100 }, [done])).toBe('refunded');
	});

	it('keeps a cancelled order cancelled', () => {
		expect(deriveOrderStatus({ ...order, status: 'cancelled' }, [])).toBe('cancelled');
	});

	it('never owes a negative amount', () => {
		expect(remainingDue({ total: 1000, paid: 300 })).toBe(700);
		expect(remainingDue({ total: 1000, paid: 1200 })).toBe(0);
	});

	it('formats days in local time and order numbers with six digits', () => {
		expect(dayKey(new Date(2025, 0, 5, 23, 59).getTime())).toBe('2025-01-05');
		expect(dayKey(new Date(2025, 0, 6, 0, 1).getTime())).toBe('2025-01-06');
		expect(formatOrderNumber('A1', 42)).toBe('A1-000042');
	});
});
