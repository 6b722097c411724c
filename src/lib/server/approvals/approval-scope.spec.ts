import { describe, expect, it } from 'vitest';
import { checkAttemptApproval, type ApprovalRecord, type ApprovedAttempt } from './approval-scope';

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
