/**
 * When a new version may take over the till, pure (issue 14): never while a payment is in flight
 * (an attempt the terminal may be working on, or one whose result is not known yet) and never while
 * an order is at the checkout, so that a reload cannot cut a sale in half.
 */
export interface TillActivity {
	/** Attempts in the journal that are `created`, `sent` or `unknown`. */
	attemptsInFlight: number;
	/** A terminal driver says it is working on a payment. */
	terminalBusy: boolean;
	/** An order is at the checkout (being paid, or paid and not yet closed with "New sale"). */
	orderAtCheckout: boolean;
}

/** Why the update must wait, in words for the cashier, or `null` when it may be applied now. */
export function updateBlocker(activity: TillActivity): string | null {
	if (activity.attemptsInFlight > 0 || activity.terminalBusy) {
		return 'A card payment is in progress: the update waits until its result is known.';
	}
	if (activity.orderAtCheckout) {
		return 'An order is at the checkout: the update waits until it is finished or kept open.';
	}
	return null;
}
