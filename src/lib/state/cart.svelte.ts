import type { Product } from '$lib/catalog/types';
import { newId } from '$lib/journal/ids';
import { priceOrder, type Discount, type PricedLineInput } from '$lib/orders/pricing';

/** The sale being rung up, before it becomes an order in the journal. */
export class Cart {
	currency = $state('USD');
	lines = $state<PricedLineInput[]>([]);
	orderDiscount = $state<Discount | null>(null);
	totals = $derived(priceOrder(this.lines, this.orderDiscount, this.currency));

	get isEmpty(): boolean {
		return this.lines.length === 0;
	}

	add(product: Product, qty = 1): void {
		const existing = this.lines.find((line) => line.productId === product.id && !line.discount);
		if (existing) {
			existing.qty += qty;
			return;
		}
		this.lines.push({
			id: newId(),
			productId: product.id,
			name: product.name,
			sku: product.sku,
			unitPrice: product.price,
			qty,
			taxRateBp: product.taxRateBp,
			taxInclusive: product.taxInclusive,
			discount: null
		});
	}

	/** A quantity above this is a slip (a barcode typed into the field), not a sale. */
	static readonly MAX_QTY = 9999;

	setQty(lineId: string, qty: number): void {
		if (!Number.isInteger(qty) || qty < 0 || qty > Cart.MAX_QTY) return;
		if (qty === 0) this.remove(lineId);
		else {
			const line = this.lines.find((l) => l.id === lineId);
			if (line) line.qty = qty;
		}
	}

	remove(lineId: string): void {
		this.lines = this.lines.filter((line) => line.id !== lineId);
	}

	setLineDiscount(lineId: string, discount: Discount | null): void {
		const line = this.lines.find((l) => l.id === lineId);
		if (line) line.discount = discount;
	}

	clear(): void {
		this.lines = [];
		this.orderDiscount = null;
	}

	/** Restores a cart from an unpaid order, e.g. when the cashier goes back to edit it. */
	restore(lines: PricedLineInput[], orderDiscount: Discount | null): void {
		this.lines = lines.map((line) => ({ ...line }));
		this.orderDiscount = orderDiscount;
	}
}
