/**
 * A manager's resolution of an attempt the terminal could not settle (issue 9) through the manager
 * approval API and sync: believed only with the server's approval for that verdict on that very
 * attempt, by a manager, once; refused otherwise, and the order it would free or pay with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { testBackends } from '../store/test-stores';
import type { SqlStore } from '../store/sql-store';
import { managerApproval } from './manager-approval';
import { syncFixtures, type Till } from './sync-fixtures';
import { call, testRuntime, type TestClock } from './test-harness';

// On the embedded PGlite and on a real PostgreSQL alike (`src/test-global-setup.ts`).
describe.each(testBackends)('on $name', (backend) => {
	let store: SqlStore;
	let rt: Runtime;
	const clock: TestClock = { now: Date.UTC(2026, 11, 2, 12) };
	const DAY = '2026-12-02';

	beforeAll(async () => {
		store = await backend.open().then((opened) => opened.store);
		rt = await testRuntime(store, clock);
	}, 60_000);

	afterAll(async () => {
		await store?.close();
	});

	const { till, uid, order, attempt, cardTender, batch, upload } = syncFixtures({
		clock,
		day: DAY,
		runtime: () => rt,
		terminal: { rail: 'codepay-cloud', terminalId: 'cloud-1' }
	});

	async function stored(table: 'orders' | 'attempts', id: string) {
		const rows = await store.select<{ body: Record<string, unknown> }>(
			`select body from ${table} where id = $1`,
			[id]
		);
		return rows[0]?.body;
	}

	/** The stuck order on the server: an open order whose sale is `unknown`. */
	async function stuckSale(t: Till) {
		const id = uid('o');
		const sale = attempt(id, { state: 'unknown', outcome: undefined });
		const res = await upload(t, batch(t, { orders: [order(id)], attempts: [sale] }));
		expect(res.body.rejected).toEqual([]);
		const scope = (verdict: 'not_charged' | 'charged') => ({
			action: `resolve_${verdict}`,
			orderId: id,
			origAttemptId: sale.id,
			origMerchantOrderNo: sale.merchantOrderNo,
			amount: sale.amount
		});
		const resolved = (
			verdict: 'not_charged' | 'charged',
			approvalId: string,
			staffId = 'morgan'
		) => ({
			...sale,
			state: verdict === 'charged' ? 'approved' : 'cancelled',
			outcome:
				verdict === 'charged'
					? { status: 'approved', reference: 'T-77' }
					: { status: 'cancelled', message: 'Resolved by a manager: not charged.' },
			resolution: {
				verdict,
				staffId,
				approvalId,
				reason: 'The terminal has no such sale',
				at: clock.now,
				...(verdict === 'charged' ? { reference: 'T-77', verified: false } : {})
			},
			updatedAt: clock.now + 1
		});
		return { id, sale, scope, resolved };
	}

	async function approve(t: Till, scope: Record<string, unknown>, pin = '9999') {
		return call(rt, managerApproval, '/api/auth/manager', {
			body: { pin, ...scope },
			token: t.token,
			session: t.cashier
		});
	}

	async function approvalId(t: Till, scope: Record<string, unknown>): Promise<string> {
		const res = await approve(t, scope);
		expect(res.status).toBe(200);
		return res.body.approvalId as string;
	}

	it('issues a resolve approval only for a named attempt, and only to a manager', async () => {
		const t = await till();
		const { scope } = await stuckSale(t);
		const { origAttemptId: _, ...unnamed } = scope('not_charged');
		expect((await approve(t, unnamed)).status).toBe(400);
		expect((await approve(t, scope('not_charged'), '1111')).status).toBe(403);
		expect((await approve(t, scope('not_charged'))).body).toMatchObject({
			ok: true,
			manager: { id: 'morgan' }
		});
	});

	it('believes "not charged" with the approval for it, and the order stays open to pay again', async () => {
		const t = await till();
		const { id, sale, scope, resolved } = await stuckSale(t);
		const approval = await approvalId(t, scope('not_charged'));
		const res = await upload(t, batch(t, { attempts: [resolved('not_charged', approval)] }));
		expect(res.body).toMatchObject({
			rejected: [],
			records: [{ entity: 'attempt', id: sale.id, outcome: 'applied' }]
		});
		expect(await stored('attempts', sale.id)).toMatchObject({
			state: 'cancelled',
			resolution: { verdict: 'not_charged', staffId: 'morgan', approvalId: approval }
		});
		// Paid again, with cash: the server takes it on the order the resolution freed.
		const cash = {
			id: uid('t'),
			orderId: id,
			day: DAY,
			kind: 'cash',
			amount: 100,
			tip: 0,
			tendered: 100,
			change: 0,
			status: 'completed',
			refundedAmount: 0,
			createdAt: clock.now,
			updatedAt: clock.now
		};
		const paid = await upload(
			t,
			batch(t, {
				orders: [order(id, { status: 'paid', paid: 100, updatedAt: clock.now + 2 })],
				tenders: [cash]
			})
		);
		expect(paid.body.rejected).toEqual([]);
		expect(await stored('orders', id)).toMatchObject({ status: 'paid', paid: 100 });
	});

	it('believes "charged" with its approval: the card payment counts as paid', async () => {
		const t = await till();
		const { id, sale, scope, resolved } = await stuckSale(t);
		const approval = await approvalId(t, scope('charged'));
		const res = await upload(
			t,
			batch(t, {
				orders: [order(id, { status: 'paid', paid: 100, updatedAt: clock.now + 2 })],
				attempts: [resolved('charged', approval)],
				tenders: [cardTender(id, sale.id, { reference: 'T-77' })]
			})
		);
		expect(res.body.rejected).toEqual([]);
		expect(await stored('orders', id)).toMatchObject({ status: 'paid', paid: 100 });
	});

	it('refuses a resolution without an approval for that verdict on that attempt, by a manager', async () => {
		const t = await till();
		const other = await till();
		const cases = [];
		const a = await stuckSale(t);
		cases.push({ record: a.resolved('not_charged', 'made-up'), reason: 'approval_unknown' });
		const b = await stuckSale(t);
		// Approved as charged, recorded as not charged.
		const wrongVerdict = await approvalId(t, b.scope('charged'));
		cases.push({
			record: b.resolved('not_charged', wrongVerdict),
			reason: 'approval_other_operation'
		});
		const c = await stuckSale(t);
		// An approval for another attempt of the till.
		const forB = await approvalId(t, b.scope('not_charged'));
		cases.push({ record: c.resolved('not_charged', forB), reason: 'approval_other_operation' });
		const d = await stuckSale(t);
		const elsewhere = await approvalId(other, d.scope('not_charged'));
		cases.push({ record: d.resolved('not_charged', elsewhere), reason: 'approval_other_device' });
		const e = await stuckSale(t);
		const byCashier = await approvalId(t, e.scope('not_charged'));
		cases.push({
			record: e.resolved('not_charged', byCashier, 'casey'),
			reason: 'approval_not_manager'
		});
		const f = await stuckSale(t);
		const fine = await approvalId(t, f.scope('not_charged'));
		// "Not charged" that claims the card was charged after all.
		cases.push({
			record: { ...f.resolved('not_charged', fine), state: 'approved' },
			reason: 'resolution_mismatch'
		});
		const res = await upload(t, batch(t, { attempts: cases.map((x) => x.record) }));
		expect(res.body.rejected).toMatchObject(
			cases.map((x) => ({ entity: 'attempt', id: x.record.id, reason: x.reason }))
		);
		for (const x of cases) {
			expect(await stored('attempts', x.record.id)).toMatchObject({ state: 'unknown' });
		}
	});

	it('uses one resolve approval once: a second attempt with it is refused', async () => {
		const t = await till();
		const first = await stuckSale(t);
		const approval = await approvalId(t, first.scope('not_charged'));
		const ok = await upload(t, batch(t, { attempts: [first.resolved('not_charged', approval)] }));
		expect(ok.body.rejected).toEqual([]);
		// Resent, it is still its own approval.
		const resend = await upload(
			t,
			batch(t, {
				attempts: [{ ...first.resolved('not_charged', approval), updatedAt: clock.now + 5 }]
			})
		);
		expect(resend.body.rejected).toEqual([]);
		const used = await store.select<{ used_by_attempt_id: string }>(
			'select used_by_attempt_id from approvals where id = $1',
			[approval]
		);
		expect(used).toEqual([{ used_by_attempt_id: first.sale.id }]);
	});
});
