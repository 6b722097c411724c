/** Why sync refuses a record: a code the till and the back office can sort by, and a sentence. */
import type { ApprovalProblem } from '../../approvals/approval-scope';

export type RefusalReason =
	| 'invalid'
	| 'other_device'
	| 'merchant_order_no_taken'
	| 'staff_not_signed_in'
	| 'figures'
	| 'terminal_unknown'
	| 'terminal_rail_mismatch'
	| 'simulated_outside_demo'
	| 'attempt_unknown'
	| 'attempt_refused'
	| 'attempt_mismatch'
	| 'order_refused'
	| 'order_unknown'
	| 'changed'
	| 'not_approved'
	| 'resolution_mismatch'
	| ApprovalProblem;

export interface Refusal {
	reason: RefusalReason;
	message: string;
}

export const refuse = (reason: RefusalReason, message: string): Refusal => ({ reason, message });
