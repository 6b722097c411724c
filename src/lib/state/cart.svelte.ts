import type { Product } from '$lib/catalog/types';
import { newId } from '$lib/journal/ids';
import {
	priceOrder,
	type Discount,
	type LineModifier,
	type PricedLineInput
} from '$lib/orders/pricing';

/** What the chooser decided for a line: its modifiers, a typed price, a note. */
export interface LineChoice {
	modifiers?: LineModifier[];
	/** An open-price item's typed price (minor units). */
	unitPrice?: number;
	note?: string;
}

const sameModifiers = (a: LineModifier[] = [], b: LineModifier[] = []) =>
	a.length === b.length &&
	a.every((m, i) => m.optionId === b[i]?.optionId && m.groupId === b[i]?.groupId);

/** The sale being rung up, before it becomes an order in the journal. */
export class Cart {
	currency = $state('USD');
	lines = $state<PricedLineInput[]>([]);
	orderDiscount = $state<Discount | null>(null);
	totals = $derived(priceOrder(this.lines, this.orderDiscount, this.currency));

	get isEmpty(): boolean {
		return this.lines.length === 0;
	}

	add(product: Product, qty = 1, choice: LineChoice = {}): void {
		const unitPrice = choice.unitPrice ?? product.price;
		const modifiers = choice.modifiers?.length ? choice.modifiers : undefined;
		const note = choice.note?.trim() || undefined;
		// The same product with the same choices adds up on one line; a note keeps its own line.
		const existing = note
			? undefined
			: this.lines.find(
					(line) =>
						line.productId === product.id &&
						!line.discount &&
						!line.note &&
						line.unitPrice === unitPrice &&
						sameModifiers(line.modifiers, modifiers)
				);
		if (existing) {
			existing.qty += qty;
			return;
		}
		this.lines.push({
			id: newId(),
			productId: product.id,
			name: product.name,
			sku: product.sku,
			unitPrice,
			qty,
			taxRateBp: product.taxRateBp,
			taxInclusive: product.taxInclusive,
			discount: null,
			...(modifiers ? { modifiers } : {}),
			...(note ? { note } : {})
		});
	}

	/** Changes a line's modifiers, typed price or note (from the chooser opened on the line). */
	update(lineId: string, choice: LineChoice): void {
		const line = this.lines.find((l) => l.id === lineId);
		if (!line) return;
		if (choice.modifiers !== undefined) {
			if (choice.modifiers.length) line.modifiers = choice.modifiers;
			else delete line.modifiers;
		}
		if (choice.unitPrice !== undefined) line.unitPrice = choice.unitPrice;
		if (choice.note !== undefined) {
			const note = choice.note.trim();
			if (note) line.note = note;
			else delete line.note;
		}
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
