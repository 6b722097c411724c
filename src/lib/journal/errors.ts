/** Typed journal errors. Messages are written for the cashier; `code` is for the program. */
import type { PaymentAttempt } from './types';

export type JournalErrorCode =
	| 'not_found'
	| 'invalid'
	| 'invalid_amount'
	| 'order_not_open'
	| 'not_refundable'
	| 'attempt_in_progress';

export class JournalError extends Error {
	readonly code: JournalErrorCode;
	constructor(code: JournalErrorCode, message: string) {
		super(message);
		this.name = 'JournalError';
		this.code = code;
	}
}

/** Rule 3: one payment at a time per order, until the previous one's result is known. */
export class AttemptInProgressError extends JournalError {
	readonly attempt: PaymentAttempt;
	constructor(attempt: PaymentAttempt) {
		super(
			'attempt_in_progress',
			attempt.state === 'unknown'
				? 'The result of the previous card payment on this order is not known yet. Check it before taking another payment.'
				: 'A card payment on this order is still in progress.'
		);
		this.name = 'AttemptInProgressError';
		this.attempt = attempt;
	}
}
