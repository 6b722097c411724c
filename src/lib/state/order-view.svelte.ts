import {
	isCharge,
	isPending,
	openHolds,
	remainingDue,
	type Journal,
	type Order,
	type PaymentAttempt,
	type Tender
} from '$lib/journal';
import { live } from './live.svelte';

/**
 * One order as its screens see it: the order, its attempts and tenders followed live from the
 * journal, and the figures the screens derive from them, each computed once. Create it while a
 * component initialises (its live queries are effects).
 */
export class OrderView {
	readonly #order;
	readonly #attempts;
	readonly #tenders;
	readonly #fallbackCurrency: () => string;

	constructor(
		journal: Journal,
		orderId: () => string,
		fallbackCurrency: () => string = () => 'USD'
	) {
		this.#fallbackCurrency = fallbackCurrency;
		this.#order = live<Order | undefined>(() => {
			const id = orderId();
			return () => journal.getOrder(id);
		}, undefined);
		this.#attempts = live<PaymentAttempt[]>(() => {
			const id = orderId();
			return () => journal.attemptsForOrder(id);
		}, []);
		this.#tenders = live<Tender[]>(() => {
			const id = orderId();
			return () => journal.tendersForOrder(id);
		}, []);
	}

	get order(): Order | undefined {
		return this.#order.value;
	}
	get attempts(): PaymentAttempt[] {
		return this.#attempts.value;
	}
	get tenders(): Tender[] {
		return this.#tenders.value;
	}
	/** Why the order could not be read, if it could not. */
	get loadError(): string | null {
		return this.#order.error;
	}

	#currency = $derived.by(() => this.order?.currency ?? this.#fallbackCurrency());
	get currency(): string {
		return this.#currency;
	}

	#due = $derived.by(() => (this.order ? remainingDue(this.order) : 0));
	/** What is still to be paid. */
	get due(): number {
		return this.#due;
	}

	#pending = $derived.by(() => this.attempts.find(isPending));
	/** The attempt sent with no final answer yet (rule 3: at most one). */
	get pending(): PaymentAttempt | undefined {
		return this.#pending;
	}

	#holds = $derived.by(() => openHolds(this.attempts));
	get holds(): PaymentAttempt[] {
		return this.#holds;
	}

	#approvedCharges = $derived.by(() =>
		this.attempts.filter((a) => isCharge(a.kind) && a.state === 'approved')
	);
	/** Approved sales and hold completions: what can be refunded, voided or re-tipped. */
	get approvedCharges(): PaymentAttempt[] {
		return this.#approvedCharges;
	}

	/** The card tender an approved charge made. */
	tenderOf(charge: PaymentAttempt): Tender | undefined {
		return this.tenders.find((t) => t.attemptId === charge.id);
	}
}
