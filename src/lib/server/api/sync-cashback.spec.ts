/**
 * Cashback through sync (issue 9): a card tender that hands out cashback is accepted when its
 * figures are the journal's (the cashback is the attempt's approved one, not part of the order's
 * `paid`, and goods + tip + cashback is what the terminal charged), and refused when forged.
 * Over a real in-memory PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { testBackends } from '../store/test-stores';
import type { SqlStore } from '../store/sql-store';
import { staffLogin } from './staff-login';
import { sync } from './sync';
import { call, testConfigFile, testRuntime, pairTill, type TestClock } from './test-harness';

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

	interface Till {
		token: string;
		deviceId: string;
		/** The cashier's session on this till. */
		cashier: string;
		manager: string;
		/** The till's event counter. */
		seq: number;
	}

	let tills = 0;
	async function till(on: Runtime = rt, pins = ['1111', '9999']): Promise<Till> {
		const { token, deviceId } = await pairTill(on, `Till ${++tills}`, `10.1.0.${tills}`);
		const login = async (pin: string) =>
			(await call(on, staffLogin, '/api/auth/login', { body: { pin }, token })).body
				.sessionToken as string;
		const [cashier = '', manager = ''] = await Promise.all(pins.map(login));
		return { token, deviceId, cashier, manager, seq: 0 };
	}

	let ids = 0;
	const uid = (prefix: string) => `${prefix}${++ids}`;

	function order(id: string, extra: Record<string, unknown> = {}) {
		return {
			id,
			number: `TS1-${id}`,
			currency: 'USD',
			lines: [
				{
					id: `${id}-l1`,
					productId: 'tea',
					sku: 'TEA',
					name: 'Tea',
					unitPrice: 100,
					qty: 1,
					taxRateBp: 0,
					taxInclusive: false,
					discount: null,
					lineDiscount: 0,
					orderDiscountShare: 0,
					net: 100,
					tax: 0,
					total: 100
				}
			],
			orderDiscount: null,
			subtotal: 100,
			discount: 0,
			tax: 0,
			total: 100,
			staffId: 'casey',
			createdAt: clock.now,
			updatedAt: clock.now,
			day: DAY,
			status: 'open',
			tip: 0,
			paid: 0,
			refunded: 0,
			deviceId: 'whatever-the-till-says',
			...extra
		};
	}

	function attempt(orderId: string, extra: Record<string, unknown> = {}) {
		const id = uid('a');
		return {
			id,
			orderId,
			kind: 'sale',
			rail: 'codepay-lan',
			terminalId: 'lan-1',
			merchantOrderNo: `TS1m${id}`,
			amount: 100,
			tip: 0,
			currency: 'USD',
			state: 'approved',
			outcome: { status: 'approved', reference: 'R1', message: 'APPROVED' },
			createdAt: clock.now,
			updatedAt: clock.now,
			...extra
		};
	}

	function cardTender(orderId: string, attemptId: string, extra: Record<string, unknown> = {}) {
		return {
			id: uid('t'),
			orderId,
			day: DAY,
			kind: 'card',
			amount: 100,
			tip: 0,
			attemptId,
			status: 'completed',
			refundedAmount: 0,
			createdAt: clock.now,
			updatedAt: clock.now,
			...extra
		};
	}

	function cashTender(orderId: string) {
		return {
			id: uid('t'),
			orderId,
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
	}

	type Rec = { id: string; orderId?: string; [field: string]: unknown };

	/** A batch as a till sends it: the records, and one event naming each of them. */
	function batch(
		t: Till,
		records: { orders?: Rec[]; attempts?: Rec[]; tenders?: Rec[] },
		seqs?: number[]
	) {
		const named = [
			...(records.attempts ?? []).map((r) => ['attempt', r] as const),
			...(records.tenders ?? []).map((r) => ['tender', r] as const),
			...(records.orders ?? []).map((r) => ['order', r] as const)
		];
		const events = named.map(([entity, r], i) => ({
			seq: seqs?.[i] ?? ++t.seq,
			at: clock.now,
			entity,
			entityId: r.id,
			orderId: r.orderId ?? r.id,
			type: `${entity}.updated`
		}));
		return { deviceId: t.deviceId, orders: [], attempts: [], tenders: [], ...records, events };
	}

	function upload(t: Till, body: unknown, on: Runtime = rt) {
		return call(on, sync, '/api/sync', { body, token: t.token });
	}

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
