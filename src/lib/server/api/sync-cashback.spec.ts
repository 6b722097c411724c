/**
 * Cashback through sync (issue 9): a card tender that hands out cashback is accepted when its
 * figures are the journal's (the cashback is the attempt's approved one, not part of the order's
 * `paid`, and goods + tip + cashback is what the terminal charged), and refused when forged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { testBackends } from '../store/test-stores';
import type { SqlStore } from '../store/sql-store';
import { syncFixtures, type Rec, type Till } from './sync-fixtures';
import { testConfigFile, testRuntime, type TestClock } from './test-harness';

// On the embedded PGlite and on a real PostgreSQL alike (`src/test-global-setup.ts`).
describe.each(testBackends)('on $name', (backend) => {
	let store: SqlStore;
	let rt: Runtime;
	const clock: TestClock = { now: Date.UTC(2026, 11, 2, 12) };
	const DAY = '2026-12-02';

	beforeAll(async () => {
		store = await backend.open().then((opened) => opened.store);
		// A CodePay Register on the LAN: the terminals that hand out cashback (NOTES.md §1).
		const file = await testConfigFile();
		file.terminals.push({
			id: 'lan-1',
			name: 'Counter',
			rail: 'codepay-lan',
			currency: 'USD',
			params: { host: '192.168.1.20', port: 35779, appId: 'APP' }
		});
		rt = await testRuntime(store, clock, file);
	}, 60_000);

	afterAll(async () => {
		await store?.close();
	});

	const { till, uid, order, attempt, cardTender, cashTender, batch, upload } = syncFixtures({
		clock,
		day: DAY,
		runtime: () => rt,
		terminal: { rail: 'codepay-lan', terminalId: 'lan-1' }
	});

	async function stored(table: 'orders' | 'tenders', id: string) {
		const rows = await store.select<{ body: Record<string, unknown> }>(
			`select body from ${table} where id = $1`,
			[id]
		);
		return rows[0]?.body;
	}

	/** A cashback sale as the journal records it: goods 100, cashback 2000, the terminal charged 2100. */
	function cashbackSale(
		t: Till,
		changes: { attempt?: Record<string, unknown>; tender?: Record<string, unknown> } = {}
	) {
		const id = uid('o');
		const a = attempt(id, {
			cashback: 2000,
			outcome: { status: 'approved', reference: 'R1', amount: 2100, cashback: 2000 },
			...changes.attempt
		});
		const tender = cardTender(id, a.id, { cashback: 2000, ...changes.tender });
		const body = batch(t, {
			orders: [order(id, { status: 'paid', paid: 100 })],
			attempts: [a],
			tenders: [tender]
		});
		return { id, attempt: a, tender, body };
	}

	type Rejected = { entity: string; id: string; reason: string; message: string };

	describe('a cashback tender', () => {
		it('is refused on a terminal whose rail hands out no cashback', async () => {
			const t = await till();
			const sale = cashbackSale(t, { attempt: { rail: 'codepay-cloud', terminalId: 'cloud-1' } });
			const res = await upload(t, sale.body);
			expect((res.body.rejected as Rejected[]).map((r) => `${r.entity}:${r.reason}`)).toContain(
				'attempt:figures'
			);
			expect(await stored('tenders', sale.tender.id)).toBeUndefined();
		});

		it('is accepted with its cashback kept, the order paid for the goods only', async () => {
			const t = await till();
			const sale = cashbackSale(t);
			const res = await upload(t, sale.body);
			expect(res.status).toBe(200);
			expect(res.body.rejected).toEqual([]);
			expect(await stored('orders', sale.id)).toMatchObject({ paid: 100, status: 'paid' });
			expect(await stored('tenders', sale.tender.id)).toMatchObject({
				amount: 100,
				cashback: 2000
			});
		});

		it('is accepted when the terminal approved less cashback than asked, at the terminal’s figure', async () => {
			const t = await till();
			const sale = cashbackSale(t, {
				attempt: { outcome: { status: 'approved', amount: 1100, cashback: 1000 } },
				tender: { cashback: 1000 }
			});
			const res = await upload(t, sale.body);
			expect(res.body.rejected).toEqual([]);
		});

		it('is refused when forged: cashback no attempt approved, more than approved, or not what was charged', async () => {
			const t = await till();
			const cases = [
				// Cash "paid out" on a plain sale: the drawer would look short for nothing.
				[
					cashbackSale(t, {
						attempt: { cashback: undefined, outcome: { status: 'approved', amount: 100 } }
					}),
					'attempt_mismatch',
					/hands out 2000 cashback; attempt \S+ approved 0/
				],
				[cashbackSale(t, { tender: { cashback: 5000 } }), 'attempt_mismatch', /approved 2000/],
				[cashbackSale(t, { tender: { cashback: undefined } }), 'attempt_mismatch', /hands out 0/],
				[
					cashbackSale(t, {
						attempt: { outcome: { status: 'approved', amount: 1500, cashback: 2000 } }
					}),
					'figures',
					/takes 100 \+ 0 tip \+ 2000 cashback; the terminal charged 1500/
				]
			] as const;
			for (const [sale, reason, message] of cases) {
				const res = await upload(t, sale.body);
				const tender = (res.body.rejected as Rejected[]).find((r) => r.id === sale.tender.id);
				expect(tender).toMatchObject({
					entity: 'tender',
					reason,
					message: expect.stringMatching(message)
				});
				expect(await stored('tenders', sale.tender.id)).toBeUndefined();
			}
		});

		it('is refused when the cashback is counted as paid on the order', async () => {
			const t = await till();
			const sale = cashbackSale(t, { tender: { amount: 2100, cashback: 2000 } });
			(sale.body.orders[0] as Rec).paid = 2100;
			const res = await upload(t, sale.body);
			expect(res.body.rejected).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ id: sale.tender.id, reason: 'attempt_mismatch' }),
					expect.objectContaining({ id: sale.id, reason: 'figures' })
				])
			);
			expect(await stored('orders', sale.id)).toBeUndefined();
		});

		it('is refused on cash, and cashback on an attempt that cannot carry it is refused with its tender', async () => {
			const t = await till();
			const id = uid('o');
			const cash = { ...cashTender(id), cashback: 500 };
			const cashRes = await upload(
				t,
				batch(t, { orders: [order(id, { status: 'paid', paid: 100 })], tenders: [cash] })
			);
			expect(cashRes.body.rejected).toEqual(
				expect.arrayContaining([
					expect.objectContaining({
						id: cash.id,
						reason: 'figures',
						message: expect.stringMatching(/cash with card cashback/)
					})
				])
			);

			const hold = uid('o');
			const completion = attempt(hold, {
				kind: 'preauth_completion',
				origAttemptId: 'a-hold',
				cashback: 500,
				outcome: { status: 'approved', amount: 600, cashback: 500 }
			});
			const tender = cardTender(hold, completion.id, { cashback: 500 });
			const res = await upload(
				t,
				batch(t, {
					orders: [order(hold, { status: 'paid', paid: 100 })],
					attempts: [completion],
					tenders: [tender]
				})
			);
			expect(res.body.rejected).toEqual(
				expect.arrayContaining([
					expect.objectContaining({
						id: completion.id,
						reason: 'figures',
						message: expect.stringMatching(/A preauth_completion cannot carry cashback/)
					}),
					expect.objectContaining({ id: tender.id, reason: 'attempt_refused' })
				])
			);
		});
	});
});
