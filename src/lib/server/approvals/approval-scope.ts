/**
 * What a manager approves: one operation, named in full. The server issues an approval bound to it
 * (`POST /api/auth/manager`), and believes a refund, void or hold release only when it carries an
 * approval for exactly that operation, unused, issued to that device by a manager. Pure.
 */
import { z } from 'zod/mini';
import { cleanString } from '$lib/text/clean-text';

/**
 * Operations that move money off a card or close a terminal's books, and a manager's resolution
 * of an attempt the terminal could not settle, named with its verdict (`$lib/journal/resolve.ts`):
 * the approval is for that verdict on that attempt (`origAttemptId`), nothing else.
 */
export const APPROVAL_ACTIONS = [
	'refund',
	'void',
	'preauth_cancel',
	'batch_close',
	'resolve_not_charged',
	'resolve_charged'
] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/** Journal attempt kinds that need a manager, and the approval each needs. */
export const ACTION_OF_KIND: Readonly<Record<string, ApprovalAction>> = {
	refund: 'refund',
	void: 'void',
	preauth_cancel: 'preauth_cancel'
};

/** How long an approval may wait for its operation to start. */
export const APPROVAL_TTL_MS = 5 * 60_000;

const id = cleanString().check(z.minLength(1)).check(z.maxLength(64));

/** The operation, as the till names it when it asks for the manager's PIN. */
export const approvalScopeSchema = z
	.object({
		action: z.enum(APPROVAL_ACTIONS),
		orderId: z.optional(id),
		/** The sale or hold being refunded, voided or released; the attempt being resolved. */
		origAttemptId: z.optional(id),
		/** Its merchant order number: what a terminal frame names (NOTES.md §1). */
		origMerchantOrderNo: z.optional(z.string().check(z.regex(/^[A-Za-z0-9]{1,32}$/))),
		/** Minor units: the refund's amount, the void's or release's whole amount. */
		amount: z.optional(z.int().check(z.positive()).check(z.lte(Number.MAX_SAFE_INTEGER))),
		terminalId: z.optional(id)
	})
	.check(
		z.superRefine((scope, ctx) => {
			const need = (key: keyof typeof scope) => {
				if (scope[key] === undefined) {
					ctx.addIssue({ code: 'custom', path: [key], message: `${scope.action} needs ${key}` });
				}
			};
			if (scope.action === 'batch_close') need('terminalId');
			else
				for (const key of ['orderId', 'origAttemptId', 'origMerchantOrderNo', 'amount'] as const)
					need(key);
		})
	);
export type ApprovalScope = z.infer<typeof approvalScopeSchema>;

/** The server's record of an approval. */
export interface ApprovalRecord extends ApprovalScope {
	id: string;
	deviceId: string;
	managerId: string;
	/** The staff member signed in on the till that asked, if any. */
	requestedBy: string | null;
	createdAt: number;
	expiresAt: number;
	/** The attempt that used it (sync), once one did. */
	usedByAttemptId: string | null;
	/** The merchant order number of the terminal frame the relay let through with it, if any. */
	relayMerchantOrderNo: string | null;
}

/** What a synced attempt claims about its approval. */
export interface ApprovedAttempt {
	id: string;
	kind: string;
	orderId: string;
	origAttemptId?: string | undefined;
	merchantOrderNo: string;
	amount: number;
	terminalId: string;
	createdAt: number;
	approval?: { staffId: string; approvalId?: string | undefined } | undefined;
}

export type ApprovalProblem =
	| 'approval_missing'
	| 'approval_unknown'
	| 'approval_other_device'
	| 'approval_other_operation'
	| 'approval_reused'
	| 'approval_not_manager';

export const APPROVAL_PROBLEM_TEXT: Record<ApprovalProblem, string> = {
	approval_missing: 'needs a manager approval from the server, and carries none',
	approval_unknown: 'names an approval the server never issued',
	approval_other_device: 'names an approval issued to another till',
	approval_other_operation: 'names an approval for another operation',
	approval_reused: 'names an approval already used by another attempt',
	approval_not_manager: 'names an approver who is not a manager'
};

/**
 * Why `attempt` may not be believed with the approval it names, or null when it may. `record` is
 * the server's approval under `attempt.approval.approvalId` (undefined when there is none);
 * `isManager` tells whether a staff id has the manager role now.
 */
export function checkAttemptApproval(
	attempt: ApprovedAttempt,
	record: ApprovalRecord | null | undefined,
	deviceId: string,
	isManager: (staffId: string) => boolean
): ApprovalProblem | null {
	const action = ACTION_OF_KIND[attempt.kind];
	if (!action) return null;
	return approvalProblem(action, attempt, record, deviceId, isManager);
}

/** What a synced attempt claims about a manager's resolution of it. */
export interface ResolvedAttempt extends Omit<ApprovedAttempt, 'approval'> {
	resolution?: { verdict: 'charged' | 'not_charged'; staffId: string; approvalId: string };
}

/**
 * The same for a resolution: the approval must be for that verdict on this very attempt (its
 * `origAttemptId`), of its order and amount, unused by another attempt, by a manager.
 */
export function checkResolutionApproval(
	attempt: ResolvedAttempt,
	record: ApprovalRecord | null | undefined,
	deviceId: string,
	isManager: (staffId: string) => boolean
): ApprovalProblem | null {
	const resolution = attempt.resolution;
	if (!resolution) return null;
	return approvalProblem(
		`resolve_${resolution.verdict}`,
		{
			...attempt,
			origAttemptId: attempt.id,
			approval: { staffId: resolution.staffId, approvalId: resolution.approvalId }
		},
		record,
		deviceId,
		isManager
	);
}

function approvalProblem(
	action: ApprovalAction,
	attempt: ApprovedAttempt,
	record: ApprovalRecord | null | undefined,
	deviceId: string,
	isManager: (staffId: string) => boolean
): ApprovalProblem | null {
	if (!attempt.approval?.approvalId) return 'approval_missing';
	if (!record) return 'approval_unknown';
	if (record.deviceId !== deviceId) return 'approval_other_device';
	if (
		record.action !== action ||
		record.orderId !== attempt.orderId ||
		record.origAttemptId !== attempt.origAttemptId ||
		record.amount !== attempt.amount ||
		(record.relayMerchantOrderNo !== null &&
			record.relayMerchantOrderNo !== attempt.merchantOrderNo)
	) {
		return 'approval_other_operation';
	}
	if (record.usedByAttemptId !== null && record.usedByAttemptId !== attempt.id) {
		return 'approval_reused';
	}
	// No expiry here: the attempt is dated by the till's clock, which the server cannot trust (a till
	// two minutes slow had its refunds refused while the card was refunded). The window is enforced
	// where the server sees the operation as it happens (the relay, on server time); at sync the
	// approval still holds for that one operation, once.
	if (record.managerId !== attempt.approval.staffId || !isManager(record.managerId)) {
		return 'approval_not_manager';
	}
	return null;
}
