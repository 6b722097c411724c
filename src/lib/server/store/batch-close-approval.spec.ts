/**
 * `claimBatchCloseApproval`, the relay's use of a manager's batch-close approval: for one
 * terminal, by the till it was issued to, before it expires, once, even with two server instances
 * on one PostgreSQL racing for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../approvals/approval-scope';
import type { SqlStore } from './sql-store';
import { testBackends } from './test-stores';

function batchApproval(id: string, overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
	return {
		id,
		deviceId: 'd-a',
		managerId: 'morgan',
		requestedBy: 'casey',
		action: 'batch_close',
		terminalId: 'lan-1',
		createdAt: 0,
		expiresAt: 1_000,
		usedByAttemptId: null,
		relayMerchantOrderNo: null,
		...overrides
	};
}

describe.each(testBackends)('the $name store', (backend) => {
	let store: SqlStore;
	let another: (() => Promise<SqlStore>) | undefined;

	beforeAll(async () => {
		({ store, another } = await backend.open());
	}, 60_000);

	afterAll(async () => {
		await store?.close();
	});

	it('lets one batch close through on an approval for that terminal, from that till, in time', async () => {
		await store.recordApproval(batchApproval('b1'));
		// A refund approval for the same till is not a batch close approval.
		await store.recordApproval(
			batchApproval('r1', {
				action: 'refund',
				terminalId: undefined,
				orderId: 'o1',
				origAttemptId: 'a1',
				origMerchantOrderNo: 'S1',
				amount: 100
			})
		);
		const frame = { deviceId: 'd-a', terminalId: 'lan-1', requestId: 'req-1', now: 999 };
		expect(await store.claimBatchCloseApproval({ ...frame, terminalId: 'lan-2' })).toBeNull();
		expect(await store.claimBatchCloseApproval({ ...frame, deviceId: 'd-b' })).toBeNull();
		expect(await store.claimBatchCloseApproval({ ...frame, now: 1_000 })).toBeNull();
		expect(await store.claimBatchCloseApproval(frame)).toMatchObject({
			id: 'b1',
			relayMerchantOrderNo: 'req-1'
		});
		expect(await store.claimBatchCloseApproval({ ...frame, requestId: 'req-2' })).toBeNull();
		expect(await store.getApproval('r1')).toMatchObject({ relayMerchantOrderNo: null });
	});

	// Two server instances need two connections: an in-memory PGlite has one.
	(backend.name === 'postgres' ? it : () => undefined)(
		'lets only one of two server instances pass a batch close on one approval',
		async () => {
			const second = await another!();
			try {
				for (let round = 0; round < 20; round++) {
					const terminalId = `race-${round}`;
					await store.recordApproval(batchApproval(`race-b${round}`, { terminalId }));
					const claim = (instance: SqlStore, requestId: string) =>
						instance.claimBatchCloseApproval({ deviceId: 'd-a', terminalId, requestId, now: 1 });
					const claims = await Promise.all([
						claim(store, 'A'),
						claim(second, 'B'),
						claim(store, 'C'),
						claim(second, 'D')
					]);
					expect(claims.filter((c) => c !== null)).toHaveLength(1);
				}
			} finally {
				await second.close();
			}
		}
	);
});
