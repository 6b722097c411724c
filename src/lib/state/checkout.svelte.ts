import type { Journal, PaymentAttempt, Tender } from '$lib/journal';
import { OrderView } from './order-view.svelte';

/** An order at the checkout: what the payment screen shows besides the forms. */
export class Checkout extends OrderView {
	constructor(journal: Journal, orderId: () => string, fallbackCurrency: () => string) {
		super(journal, orderId, fallbackCurrency);
	}

	#lastFailed = $derived.by(() =>
		[...this.attempts]
			.reverse()
			.find(
				(a) =>
					(a.kind === 'sale' || a.kind === 'preauth' || a.kind === 'preauth_completion') &&
					(a.state === 'declined' || a.state === 'cancelled')
			)
	);
	/** The last charge that failed, while nothing was tried after it: the cashier is told why. */
	get failure(): PaymentAttempt | undefined {
		const last = this.#lastFailed;
		return last && !this.attempts.some((a) => a.createdAt > last.createdAt) ? last : undefined;
	}

	#lastCash = $derived.by(() => [...this.tenders].reverse().find((t) => t.kind === 'cash'));
	/** The last cash tender (its change is shown once the order is paid). */
	get lastCash(): Tender | undefined {
		return this.#lastCash;
	}

	get paidInFull(): boolean {
		return this.order !== undefined && this.order.status !== 'open' && this.due === 0;
	}

	/** Nothing taken yet: the order can still go back to the cart. */
	get nothingPaid(): boolean {
		return this.tenders.length === 0 && !this.pending && this.holds.length === 0;
	}
}
