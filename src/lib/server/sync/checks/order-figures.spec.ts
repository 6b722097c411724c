import { describe, expect, it } from 'vitest';
import type { Order, Tender } from '$lib/journal/types';
import { priceOrder } from '$lib/orders/pricing';
import { syncOrderSchema } from '../sync-schema';
import { checkOrderFigures } from './order-figures';

/** An order as the till builds it: its lines and totals from the till's own pricing. */
function pricedOrder(extra: Partial<Order> = {}): Order {
	const totals = priceOrder(
		[
			{
				id: 'l1',
				productId: 'p1',
				name: 'Latte',
				sku: 'L',
				unitPrice: 475,
				qty: 2,
				taxRateBp: 825,
				taxInclusive: false,
				discount: { kind: 'percent', basisPoints: 1000 }
			},
			{
				id: 'l2',
				productId: 'p2',
				name: 'Scone',
				sku: 'S',
				unitPrice: 350,
				qty: 1,
				taxRateBp: 2000,
				taxInclusive: true
			}
		],
		{ kind: 'amount', value: 99 },
		'USD'
	);
	const lines = totals.lines.map(({ gross: _gross, ...line }) => ({
		...line,
		discount: line.discount ?? null
	}));
	return {
		id: 'o1',
		number: 'A1-000001',
		currency: 'USD',
		lines,
		orderDiscount: { kind: 'amount', value: 99 },
		subtotal: totals.subtotal,
		discount: totals.discount,
		tax: totals.tax,
		total: totals.total,
		staffId: 'casey',
		createdAt: 1,
		updatedAt: 1,
		day: '2026-12-02',
		status: 'open',
		tip: 0,
		paid: 0,
		refunded: 0,
		deviceId: 'd1',
		...extra
	};
}

function tender(extra: Partial<Tender>): Tender {
	return {
		id: 't1',
		orderId: 'o1',
		day: '2026-12-02',
		kind: 'cash',
		amount: 0,
		tip: 0,
		status: 'completed',
		refundedAmount: 0,
		createdAt: 1,
		...extra
	};
}

describe('checkOrderFigures', () => {
	it('believes what the till’s pricing makes, paid by its tenders', () => {
		const order = pricedOrder();
		expect(checkOrderFigures(order, [])).toBeNull();
		const paid = { ...order, status: 'paid' as const, paid: order.total, tip: 50 };
		const card = tender({ kind: 'card', attemptId: 'a1', amount: order.total, tip: 50 });
		expect(checkOrderFigures(paid, [card])).toBeNull();
		const refunded = { ...paid, status: 'partially_refunded' as const, refunded: 100 };
		expect(checkOrderFigures(refunded, [{ ...card, refundedAmount: 100 }])).toBeNull();
	});

	it('refuses a line, a discount, a tax or a total its prices do not make', () => {
		const order = pricedOrder();
		const line = order.lines[0]!;
		const cases: Partial<Order>[] = [
			{ lines: [{ ...line, total: line.total + 1 }, order.lines[1]!] },
			{ lines: [{ ...line, lineDiscount: 0 }, order.lines[1]!] },
			{ discount: order.discount - 1 },
			{ tax: 0 },
			{ total: order.total - 1 },
			{ orderDiscount: null }
		];
		for (const change of cases) {
			expect(checkOrderFigures({ ...order, ...change }, []), JSON.stringify(change)).toMatchObject({
				reason: 'figures'
			});
		}
	});

	it('refuses paid, tip, refunded or status its tenders do not make', () => {
		const order = pricedOrder();
		const cash = tender({ amount: order.total });
		const cases: [Partial<Order>, Tender[]][] = [
			[{ status: 'paid', paid: 99_999_999 }, []],
			[{ status: 'paid', paid: 99_999_999 }, [tender({ amount: 99_999_999 })]],
			[{ status: 'paid', paid: order.total, tip: 10 }, [cash]],
			[
				{ status: 'refunded', paid: order.total, refunded: order.total + 1 },
				[{ ...cash, refundedAmount: order.total + 1 }]
			],
			[{ status: 'open', paid: order.total }, [cash]],
			[{ status: 'paid', paid: order.total }, [{ ...cash, status: 'voided' }]]
		];
		for (const [change, tenders] of cases) {
			expect(
				checkOrderFigures({ ...order, ...change }, tenders),
				JSON.stringify(change)
			).toMatchObject({
				reason: 'figures'
			});
		}
	});
});

describe('checkOrderFigures with modifiers', () => {
	const oat = { groupId: 'milk', groupName: 'Milk', optionId: 'oat', name: 'Oat milk', price: 50 };

	function modifiedOrder(): Order {
		const totals = priceOrder(
			[
				{
					id: 'l1',
					productId: 'p1',
					name: 'Latte',
					sku: 'L',
					unitPrice: 475,
					qty: 2,
					taxRateBp: 825,
					taxInclusive: false,
					modifiers: [oat],
					note: 'extra hot'
				}
			],
			null,
			'USD'
		);
		const lines = totals.lines.map(({ gross: _gross, ...line }) => line);
		return {
			...pricedOrder(),
			lines,
			orderDiscount: null,
			subtotal: totals.subtotal,
			discount: totals.discount,
			tax: totals.tax,
			total: totals.total
		};
	}

	it('believes a line priced with its modifiers, and the server schema keeps them', () => {
		const order = modifiedOrder();
		expect(order.total).toBe(1050 + 87);
		expect(checkOrderFigures(order, [])).toBeNull();
		const parsed = syncOrderSchema.parse(order);
		expect(parsed.lines[0]).toMatchObject({ modifiers: [oat], note: 'extra hot' });
		// An order from before modifiers (no `modifiers`, no `note`) is as valid as ever.
		expect(syncOrderSchema.safeParse(pricedOrder()).success).toBe(true);
	});

	it('refuses a line whose modifiers were dropped but whose totals still count them', () => {
		const order = modifiedOrder();
		const { modifiers: _modifiers, ...bare } = order.lines[0]!;
		expect(checkOrderFigures({ ...order, lines: [bare] }, [])).toMatchObject({ reason: 'figures' });
	});
});
