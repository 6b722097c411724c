import { describe, expect, it } from 'vitest';
import {
	checkAttemptApproval,
	checkResolutionApproval,
	type ApprovalRecord,
	type ApprovedAttempt
} from './approval-scope';

const record: ApprovalRecord = {
	id: 'ap-1',
	deviceId: 'dev-1',
	managerId: 'morgan',
	requestedBy: 'casey',
	action: 'refund',
	orderId: 'o1',
	origAttemptId: 'sale-1',
	origMerchantOrderNo: 'POS1S1',
	amount: 450,
	createdAt: 1_000_000,
	expiresAt: 1_300_000,
	usedByAttemptId: null,
	relayMerchantOrderNo: null
};

const refund: ApprovedAttempt = {
	id: 'refund-1',
	kind: 'refund',
	orderId: 'o1',
	origAttemptId: 'sale-1',
	merchantOrderNo: 'POS1R1',
	amount: 450,
	terminalId: 'codepay-1',
	createdAt: 1_010_000,
	approval: { staffId: 'morgan', approvalId: 'ap-1' }
};

const managers = (id: string) => id === 'morgan';

describe('checkAttemptApproval', () => {
	it('believes a refund with an unused approval for exactly that refund', () => {
		expect(checkAttemptApproval(refund, record, 'dev-1', managers)).toBeNull();
		// A resend of the same attempt keeps its approval.
		const used = { ...record, usedByAttemptId: 'refund-1', relayMerchantOrderNo: 'POS1R1' };
		expect(checkAttemptApproval(refund, used, 'dev-1', managers)).toBeNull();
	});

	it('believes a refund from a till whose clock is off: single use and scope hold it, not the clock', () => {
		for (const createdAt of [record.createdAt - 120_000, record.expiresAt + 600_000]) {
			expect(checkAttemptApproval({ ...refund, createdAt }, record, 'dev-1', managers)).toBeNull();
		}
	});

	it('needs no approval for a sale', () => {
		expect(
			checkAttemptApproval(
				{ ...refund, kind: 'sale', approval: undefined },
				null,
				'dev-1',
				managers
			)
		).toBeNull();
	});

	it('refuses what a till could make up', () => {
		const check = (attempt: Partial<ApprovedAttempt>, on: Partial<ApprovalRecord> | null = {}) =>
			checkAttemptApproval(
				{ ...refund, ...attempt },
				on === null ? null : { ...record, ...on },
				'dev-1',
				managers
			);
		expect(check({ approval: undefined })).toBe('approval_missing');
		expect(check({ approval: { staffId: 'morgan' } })).toBe('approval_missing');
		expect(check({}, null)).toBe('approval_unknown');
		expect(check({}, { deviceId: 'dev-2' })).toBe('approval_other_device');
		expect(check({ amount: 451 })).toBe('approval_other_operation');
		expect(check({ kind: 'void' })).toBe('approval_other_operation');
		expect(check({ orderId: 'o2' })).toBe('approval_other_operation');
		expect(check({ origAttemptId: 'sale-2' })).toBe('approval_other_operation');
		expect(check({}, { relayMerchantOrderNo: 'POS1R9' })).toBe('approval_other_operation');
		expect(check({}, { usedByAttemptId: 'refund-0' })).toBe('approval_reused');
		expect(check({ approval: { staffId: 'casey', approvalId: 'ap-1' } })).toBe(
			'approval_not_manager'
		);
		// A manager since demoted no longer approves.
		expect(checkAttemptApproval(refund, record, 'dev-1', () => false)).toBe('approval_not_manager');
	});
});

describe('checkResolutionApproval', () => {
	const stuck = {
		id: 'sale-9',
		kind: 'sale',
		orderId: 'o9',
		merchantOrderNo: 'POS1S9',
		amount: 1200,
		terminalId: 'haojin-1',
		createdAt: 1_010_000
	};
	const approval: ApprovalRecord = {
		...record,
		action: 'resolve_not_charged',
		orderId: 'o9',
		origAttemptId: 'sale-9',
		origMerchantOrderNo: 'POS1S9',
		amount: 1200
	};
	const resolved = (verdict: 'charged' | 'not_charged', staffId = 'morgan') => ({
		...stuck,
		resolution: { verdict, staffId, approvalId: 'ap-1' }
	});

	it('needs nothing of an attempt nobody resolved', () => {
		expect(checkResolutionApproval(stuck, undefined, 'dev-1', managers)).toBeNull();
	});

	it('believes the verdict approved for this very attempt, by a manager, once', () => {
		expect(
			checkResolutionApproval(resolved('not_charged'), approval, 'dev-1', managers)
		).toBeNull();
		const usedHere = { ...approval, usedByAttemptId: 'sale-9' };
		expect(
			checkResolutionApproval(resolved('not_charged'), usedHere, 'dev-1', managers)
		).toBeNull();
	});

	it('refuses another verdict, another attempt, a used approval, or a cashier', () => {
		const check = (attempt = resolved('not_charged'), on: Partial<ApprovalRecord> = {}) =>
			checkResolutionApproval(attempt, { ...approval, ...on }, 'dev-1', managers);
		expect(check(resolved('charged'))).toBe('approval_other_operation');
		expect(check(undefined, { origAttemptId: 'sale-8' })).toBe('approval_other_operation');
		expect(check(undefined, { amount: 1 })).toBe('approval_other_operation');
		expect(check(undefined, { usedByAttemptId: 'sale-8' })).toBe('approval_reused');
		expect(check(resolved('not_charged', 'casey'))).toBe('approval_not_manager');
		expect(checkResolutionApproval(resolved('not_charged'), approval, 'dev-2', managers)).toBe(
			'approval_other_device'
		);
	});
});
