/**
 * Sync believes nothing it can check (issue 8): what a till, or someone holding its token, sees
 * when it uploads records the server must not believe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { testBackends } from '../store/test-stores';
import type { SqlStore } from '../store/sql-store';
import { managerApproval } from './manager-approval';
import { reconciliation } from './reconciliation';
import { syncFixtures, type Rec, type Till } from './sync-fixtures';
import { call, testConfigFile, testRuntime, type TestClock } from './test-harness';

// On the embedded PGlite and on a real PostgreSQL alike (`src/test-global-setup.ts`).
describe.each(testBackends)('on $name', (backend) => {
	let store: SqlStore;
	let rt: Runtime;
	let demo: Runtime;
	const clock: TestClock = { now: Date.UTC(2026, 11, 2, 12) };
	const DAY = '2026-12-02';

	beforeAll(async () => {
		store = await backend.open().then((opened) => opened.store);
		rt = await testRuntime(store, clock);
		demo = await testRuntime(store, clock, await testConfigFile({ demo: true }));
	}, 60_000);

	afterAll(async () => {
		await store?.close();
	});

	const { till, uid, order, attempt, cardTender, cashTender, batch, upload } = syncFixtures({
		clock,
		day: DAY,
		runtime: () => rt,
		terminal: { rail: 'codepay-cloud', terminalId: 'cloud-1' }
	});

	function cashSale(t: Till) {
		const id = uid('o');
		return batch(t, {
			orders: [order(id, { status: 'paid', paid: 100 })],
			tenders: [cashTender(id)]
		});
	}

	async function storedOrder(id: string) {
		const rows = await store.select<{ body: Record<string, unknown> }>(
			'select body from orders where id = $1',
			[id]
		);
		return rows[0]?.body;
	}

	describe('a bad string does not stop a till’s sync', () => {
		for (const bad of ['\u0000', '\ud800', '\udc00']) {
			it(`refuses only the record whose decline message holds ${JSON.stringify(bad)}, and the next sale arrives`, async () => {
				const t = await till();
				const id = uid('o');
				const declined = attempt(id, {
					state: 'declined',
					outcome: { status: 'declined', message: `CARD${bad}DECLINED`, code: '05' }
				});
				const first = await upload(t, batch(t, { orders: [order(id)], attempts: [declined] }));
				expect(first.status).toBe(200);
				expect(first.body.rejected).toMatchObject([
					{ entity: 'attempt', id: declined.id, reason: 'invalid' }
				]);
				expect(first.body.rejected[0].message).toMatch(/^outcome\.message: /);
				expect(first.body.records).toEqual([{ entity: 'order', id, outcome: 'applied' }]);

				const next = cashSale(t);
				const second = await upload(t, next);
				expect(second).toMatchObject({ status: 200, body: { rejected: [] } });
				expect(await storedOrder(next.orders[0]!.id)).toMatchObject({ status: 'paid' });

				const quarantined = await store.select<{ reason: string; raw: string }>(
					'select reason, raw from sync_quarantine where device_id = $1 and entity_id = $2',
					[t.deviceId, declined.id]
				);
				expect(quarantined).toHaveLength(1);
				expect(JSON.parse(quarantined[0]!.raw).outcome.message).toBe(`CARD${bad}DECLINED`);
			});
		}

		it('refuses a day the calendar does not have', async () => {
			const t = await till();
			const id = uid('o');
			const res = await upload(t, batch(t, { orders: [order(id, { day: '2026-13-45' })] }));
			expect(res.body.rejected).toMatchObject([
				{ entity: 'order', id, reason: 'invalid', message: expect.stringMatching(/^day: /) }
			]);
			expect(await storedOrder(id)).toBeUndefined();
		});

		it('still answers 400 to a malformed envelope', async () => {
			const t = await till();
			const res = await upload(t, { orders: 'none' });
			expect(res).toMatchObject({ status: 400, body: { error: 'bad_request' } });
		});
	});

	describe('identity comes from the token', () => {
		it('stamps the token’s device on every record, whatever the body says', async () => {
			const t = await till();
			const id = uid('o');
			const a = attempt(id, { deviceId: 'someone-else' });
			const body = batch(t, {
				orders: [order(id, { status: 'paid', paid: 100 })],
				attempts: [a],
				tenders: [cardTender(id, a.id)]
			});
			const res = await upload(t, { ...body, deviceId: undefined });
			expect(res.body.rejected).toEqual([]);
			expect(await storedOrder(id)).toMatchObject({ deviceId: t.deviceId });
			const [stored] = await store.select<{ body: { deviceId: string } }>(
				'select body from attempts where id = $1',
				[a.id]
			);
			expect(stored?.body.deviceId).toBe(t.deviceId);
		});

		it('refuses an order by a staff member who never signed in on that till', async () => {
			const t = await till();
			const cashierOnly = await till(rt, ['1111']);
			const mallory = uid('o');
			const morgan = uid('o');
			const notStaff = await upload(
				t,
				batch(t, { orders: [order(mallory, { staffId: 'mallory' })] })
			);
			expect(notStaff.body.rejected).toMatchObject([
				{ id: mallory, reason: 'staff_not_signed_in' }
			]);
			// Morgan is staff, and signed in on other tills, but not on this one.
			const elsewhere = await upload(
				cashierOnly,
				batch(cashierOnly, { orders: [order(morgan, { staffId: 'morgan' })] })
			);
			expect(elsewhere.body.rejected).toMatchObject([
				{ id: morgan, reason: 'staff_not_signed_in' }
			]);
		});
	});

	describe('figures must add up', () => {
		it('refuses paid 99999999 on a total of 100, and the forged cash with it', async () => {
			const t = await till();
			const id = uid('o');
			const cash = { ...cashTender(id), amount: 99_999_999, tendered: 99_999_999 };
			const res = await upload(
				t,
				batch(t, {
					orders: [order(id, { status: 'paid', paid: 99_999_999 })],
					tenders: [cash]
				})
			);
			expect(res.body.rejected).toMatchObject([
				{ entity: 'order', id, reason: 'figures' },
				{ entity: 'tender', id: cash.id, reason: 'order_refused' }
			]);
			expect(await storedOrder(id)).toBeUndefined();
		});

		it('refuses paid that no tender backs, a total its lines do not make, and a refund above the payment', async () => {
			const t = await till();
			const unbacked = uid('o');
			const inflated = uid('o');
			const over = uid('o');
			const sale = attempt(over);
			const refunded = cardTender(over, sale.id, { refundedAmount: 150, status: 'refunded' });
			const res = await upload(
				t,
				batch(t, {
					orders: [
						order(unbacked, { status: 'paid', paid: 100 }),
						order(inflated, { total: 90, subtotal: 90 }),
						order(over, { status: 'refunded', paid: 100, refunded: 150 })
					],
					attempts: [sale],
					tenders: [refunded]
				})
			);
			const reasons = Object.fromEntries(
				res.body.rejected.map((r: { id: string; reason: string; message: string }) => [r.id, r])
			);
			expect(reasons[unbacked]).toMatchObject({ reason: 'figures', message: /100 paid/ });
			expect(reasons[inflated]).toMatchObject({ reason: 'figures', message: /subtotal 90/ });
			expect(reasons[refunded.id]).toMatchObject({ reason: 'figures', message: /refunds 150/ });
		});

		it('checks a tender against the order the server already holds', async () => {
			const t = await till();
			const id = uid('o');
			await upload(t, batch(t, { orders: [order(id)] }));
			const forged = cashTender(id);
			const res = await upload(t, batch(t, { tenders: [forged] }));
			expect(res.body.rejected).toMatchObject([{ id: forged.id, reason: 'figures' }]);
		});
	});

	describe('terminals come from the server', () => {
		it('refuses a terminal the server does not know, the simulated rail, and a wrong rail; and their tenders', async () => {
			const t = await till();
			const cases = [
				['terminal_unknown', { terminalId: 'my-own', rail: 'codepay-cloud' }],
				['simulated_outside_demo', { terminalId: 'sim-9', rail: 'simulated' }],
				['terminal_rail_mismatch', { terminalId: 'cloud-1', rail: 'codepay-lan' }]
			] as const;
			for (const [reason, terminal] of cases) {
				const id = uid('o');
				const a = attempt(id, terminal);
				const tender = cardTender(id, a.id);
				const res = await upload(
					t,
					batch(t, {
						orders: [order(id, { status: 'paid', paid: 100 })],
						attempts: [a],
						tenders: [tender]
					})
				);
				expect(res.body.rejected).toMatchObject([
					{ entity: 'attempt', id: a.id, reason },
					{ entity: 'tender', id: tender.id, reason: 'attempt_refused' },
					{ entity: 'order', id, reason: 'figures' }
				]);
				expect(await storedOrder(id)).toBeUndefined();
			}
		});

		it('takes a till’s own terminal in demo mode, and lists card tenders as till-reported for a manager', async () => {
			const t = await till(demo);
			const id = uid('o');
			const a = attempt(id, { terminalId: 'haojin-usb-local', rail: 'haojin-usb' });
			const tender = cardTender(id, a.id);
			const res = await upload(
				t,
				batch(t, {
					orders: [order(id, { status: 'paid', paid: 100 })],
					attempts: [a],
					tenders: [tender]
				}),
				demo
			);
			expect(res.body.rejected).toEqual([]);

			const url = `/api/reconciliation?day=${DAY}`;
			const asCashier = await call(demo, reconciliation, url, {
				token: t.token,
				session: t.cashier
			});
			expect(asCashier).toMatchObject({ status: 403, body: { error: 'not_a_manager' } });
			const noSession = await call(demo, reconciliation, url, { token: t.token });
			expect(noSession.status).toBe(401);
			const list = await call(demo, reconciliation, url, { token: t.token, session: t.manager });
			expect(list.status).toBe(200);
			const mine = list.body.tillReported.filter(
				(r: { tender: { id: string } }) => r.tender.id === tender.id
			);
			expect(mine).toMatchObject([
				{ deviceId: t.deviceId, attempt: { terminalId: 'haojin-usb-local', rail: 'haojin-usb' } }
			]);
			const bad = await call(demo, reconciliation, '/api/reconciliation?day=2026-13-45', {
				token: t.token,
				session: t.manager
			});
			expect(bad.status).toBe(400);
		});

		it('lists refused records for the back office', async () => {
			const t = await till();
			const id = uid('o');
			await upload(t, batch(t, { orders: [order(id, { status: 'paid', paid: 100 })] }));
			const list = await call(rt, reconciliation, `/api/reconciliation?day=${DAY}`, {
				token: t.token,
				session: t.manager
			});
			expect(list.body.refused).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ deviceId: t.deviceId, entity: 'order', id, reason: 'figures' })
				])
			);
		});
	});

	describe('approvals are verified', () => {
		/** An approved card sale on the server, and a refund of it as the till would record it. */
		async function saleToRefund(t: Till) {
			const id = uid('o');
			const sale = attempt(id);
			await upload(
				t,
				batch(t, {
					orders: [order(id, { status: 'paid', paid: 100 })],
					attempts: [sale],
					tenders: [cardTender(id, sale.id)]
				})
			);
			const scope = {
				action: 'refund',
				orderId: id,
				origAttemptId: sale.id,
				origMerchantOrderNo: sale.merchantOrderNo,
				amount: 100
			};
			const refund = (approval?: { staffId: string; approvalId?: string }) =>
				attempt(id, { kind: 'refund', origAttemptId: sale.id, approval });
			return { id, sale, scope, refund };
		}

		async function approve(t: Till, scope: Record<string, unknown>) {
			const res = await call(rt, managerApproval, '/api/auth/manager', {
				body: { pin: '9999', ...scope },
				token: t.token,
				session: t.cashier
			});
			expect(res.status).toBe(200);
			return res.body.approvalId as string;
		}

		it('refuses a refund with no approval, a made-up one, or the cashier as approver', async () => {
			const t = await till();
			const { scope, refund } = await saleToRefund(t);
			const approvalId = await approve(t, scope);
			const none = refund();
			const madeUp = refund({ staffId: 'morgan', approvalId: 'made-up' });
			const cashier = refund({ staffId: 'casey', approvalId });
			const res = await upload(t, batch(t, { attempts: [none, madeUp, cashier] }));
			expect(res.body.rejected).toMatchObject([
				{ id: none.id, reason: 'approval_missing' },
				{ id: madeUp.id, reason: 'approval_unknown' },
				{ id: cashier.id, reason: 'approval_not_manager' }
			]);
		});

		it('believes one refund per approval: the first, not a second one with it, nor one for another amount', async () => {
			const t = await till();
			const { scope, refund } = await saleToRefund(t);
			const approvalId = await approve(t, scope);
			const first = refund({ staffId: 'morgan', approvalId });
			const ok = await upload(t, batch(t, { attempts: [first] }));
			expect(ok.body).toMatchObject({
				rejected: [],
				records: [{ entity: 'attempt', id: first.id, outcome: 'applied' }]
			});
			const again = refund({ staffId: 'morgan', approvalId });
			const reused = await upload(t, batch(t, { attempts: [again] }));
			expect(reused.body.rejected).toMatchObject([{ id: again.id, reason: 'approval_reused' }]);

			const other = await approve(t, scope);
			const bigger = { ...refund({ staffId: 'morgan', approvalId: other }), amount: 5000 };
			const wrong = await upload(t, batch(t, { attempts: [bigger] }));
			expect(wrong.body.rejected).toMatchObject([
				{ id: bigger.id, reason: 'approval_other_operation' }
			]);
			// A resend of the believed refund is still believed: the approval is its own.
			const resend = await upload(
				t,
				batch(t, { attempts: [{ ...first, updatedAt: clock.now + 1 }] })
			);
			expect(resend.body.rejected).toEqual([]);
		});

		it('believes one refund per approval within one upload too, and not the tender it would empty', async () => {
			const t = await till();
			const { id, sale, scope, refund } = await saleToRefund(t);
			const approvalId = await approve(t, { ...scope, amount: 50 });
			const halves = [1, 2].map(() => ({
				...refund({ staffId: 'morgan', approvalId }),
				amount: 50
			}));
			clock.now += 1_000;
			const res = await upload(
				t,
				batch(t, {
					orders: [
						order(id, { status: 'refunded', paid: 100, refunded: 100, updatedAt: clock.now })
					],
					attempts: halves,
					tenders: [
						cardTender(id, sale.id, {
							status: 'refunded',
							refundedAmount: 100,
							updatedAt: clock.now
						})
					]
				})
			);
			const refused = (res.body.rejected as { entity: string; reason: string }[]).map(
				(r) => `${r.entity}:${r.reason}`
			);
			expect(refused).toContain('attempt:approval_reused');
			expect(refused).toContain('tender:not_approved');
			expect(await storedOrder(id)).toMatchObject({ status: 'paid', refunded: 0 });
		});

		it('refuses a void whose approval was issued to another till', async () => {
			const t = await till();
			const elsewhere = await till();
			const { scope, refund } = await saleToRefund(t);
			const approvalId = await approve(elsewhere, { ...scope, action: 'void' });
			const voidAttempt = { ...refund({ staffId: 'morgan', approvalId }), kind: 'void' };
			const res = await upload(t, batch(t, { attempts: [voidAttempt] }));
			expect(res.body.rejected).toMatchObject([
				{ id: voidAttempt.id, reason: 'approval_other_device' }
			]);
		});
	});

	describe('conflicts are decided by the event sequence', () => {
		it('applies a later change from a till whose clock went back, and reports an earlier one as stale', async () => {
			const t = await till();
			const id = uid('o');
			const at = clock.now;
			await upload(t, batch(t, { orders: [order(id, { updatedAt: at })] }, [10]));
			// Same clock reading, later change.
			const same = await upload(
				t,
				batch(t, { orders: [order(id, { updatedAt: at, note: 'same clock' })] }, [11])
			);
			expect(same.body.records).toEqual([{ entity: 'order', id, outcome: 'applied' }]);
			// The clock went back an hour.
			const back = await upload(
				t,
				batch(t, { orders: [order(id, { updatedAt: at - 3_600_000, note: 'clock back' })] }, [12])
			);
			expect(back.body.records).toEqual([{ entity: 'order', id, outcome: 'applied' }]);
			expect(await storedOrder(id)).toMatchObject({ note: 'clock back' });
			// An older version, sent late: not applied, and not answered accepted.
			const late = await upload(
				t,
				batch(t, { orders: [order(id, { updatedAt: at + 5, note: 'older' })] }, [11])
			);
			expect(late.body.records).toEqual([{ entity: 'order', id, outcome: 'stale' }]);
			expect(late.body.accepted.orders).toBe(0);
			// The same version again: held.
			const resend = await upload(
				t,
				batch(t, { orders: [order(id, { updatedAt: at - 3_600_000, note: 'clock back' })] }, [12])
			);
			expect(resend.body.records).toEqual([{ entity: 'order', id, outcome: 'held' }]);
			expect(await storedOrder(id)).toMatchObject({ note: 'clock back' });
		});
	});

	describe('money given back only by approved attempts (review of issue 8)', () => {
		const rejectedOf = (res: { body: { rejected?: { entity: string; reason: string }[] } }) =>
			(res.body.rejected ?? []).map((r) => `${r.entity}:${r.reason}`);

		it('refuses a cash payment marked refunded or voided: no till refunds cash', async () => {
			const t = await till();
			const sale = cashSale(t);
			expect((await upload(t, sale)).body.rejected).toEqual([]);
			const [placed] = sale.orders as Rec[];
			const [cash] = sale.tenders as Rec[];
			for (const [tenderChange, orderChange] of [
				[
					{ status: 'refunded', refundedAmount: 100 },
					{ status: 'refunded', refunded: 100 }
				],
				[{ status: 'voided' }, { status: 'cancelled', paid: 0 }]
			] as const) {
				clock.now += 1_000;
				const res = await upload(
					t,
					batch(t, {
						orders: [{ ...placed!, ...orderChange, updatedAt: clock.now }],
						tenders: [{ ...cash!, ...tenderChange, updatedAt: clock.now }]
					})
				);
				expect(rejectedOf(res)).toContain('tender:not_approved');
				expect(await storedOrder(placed!.id)).toMatchObject({ status: 'paid', refunded: 0 });
			}
		});

		it('refuses a card payment marked refunded without an approved refund of it', async () => {
			const t = await till();
			const id = uid('o');
			const sale = attempt(id);
			const card = cardTender(id, sale.id);
			const paid = order(id, { status: 'paid', paid: 100 });
			expect(
				(await upload(t, batch(t, { orders: [paid], attempts: [sale], tenders: [card] }))).body
					.rejected
			).toEqual([]);
			clock.now += 1_000;
			const res = await upload(
				t,
				batch(t, {
					orders: [{ ...paid, status: 'refunded', refunded: 100, updatedAt: clock.now }],
					tenders: [{ ...card, status: 'refunded', refundedAmount: 100, updatedAt: clock.now }]
				})
			);
			expect(rejectedOf(res)).toContain('tender:not_approved');
			expect(await storedOrder(id)).toMatchObject({ status: 'paid', refunded: 0 });
		});

		it('refuses a payment or an attempt for an order this till never sent', async () => {
			const t = await till();
			const ghost = uid('o');
			const res = await upload(
				t,
				batch(t, {
					attempts: [attempt(ghost)],
					tenders: [{ ...cashTender(ghost) }]
				})
			);
			expect(rejectedOf(res).sort()).toEqual(['attempt:order_unknown', 'tender:order_unknown']);
		});

		it('refuses an attempt that changes what it was: a refund turned into a bigger sale', async () => {
			const t = await till();
			const id = uid('o');
			const sale = attempt(id);
			const paid = order(id, { status: 'paid', paid: 100 });
			await upload(
				t,
				batch(t, { orders: [paid], attempts: [sale], tenders: [cardTender(id, sale.id)] })
			);
			clock.now += 1_000;
			const res = await upload(
				t,
				batch(t, { attempts: [{ ...sale, amount: 9_999, updatedAt: clock.now }] })
			);
			expect(rejectedOf(res)).toEqual(['attempt:changed']);
			const rows = await store.select<{ amount: number }>(
				'select amount from attempts where id = $1',
				[sale.id]
			);
			expect(rows).toEqual([{ amount: 100 }]);
		});
	});
});
