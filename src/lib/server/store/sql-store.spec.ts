import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncAttempt, SyncEvent, SyncOrder, SyncTender } from '../sync/sync-schema';
import { migrate } from './migrations';
import type { SqlClient } from './sql';
import type { SqlStore } from './sql-store';
import { testBackends } from './test-stores';

describe.each(testBackends)('the $name store', (backend) => {
	let db: SqlClient;
	let store: SqlStore;
	let another: (() => Promise<SqlStore>) | undefined;

	beforeAll(async () => {
		({ db, store, another } = await backend.open());
	}, 60_000);

	afterAll(async () => {
		await store?.close();
	});

	const empty = { orders: [], attempts: [], tenders: [], events: [] };

	function order(id: string, updatedAt: number, extra: Partial<SyncOrder> = {}): SyncOrder {
		return {
			id,
			number: `A-${id}`,
			currency: 'USD',
			lines: [],
			orderDiscount: null,
			subtotal: 1000,
			discount: 0,
			tax: 0,
			total: 1000,
			staffId: 'casey',
			createdAt: 1_700_000_000_000,
			updatedAt,
			day: '2024-03-01',
			status: 'open',
			tip: 0,
			paid: 0,
			refunded: 0,
			deviceId: 'dev-1',
			...extra
		};
	}

	function attempt(id: string, merchantOrderNo: string, updatedAt: number): SyncAttempt {
		return {
			id,
			orderId: 'o1',
			kind: 'sale',
			rail: 'simulated',
			terminalId: 'sim-1',
			merchantOrderNo,
			amount: 1000,
			tip: 0,
			currency: 'USD',
			state: 'sent',
			createdAt: 1_700_000_000_000,
			updatedAt
		};
	}

	function tender(id: string, extra: Partial<SyncTender> = {}): SyncTender {
		return {
			id,
			orderId: 'o1',
			day: '2024-03-01',
			kind: 'card',
			amount: 1000,
			tip: 0,
			status: 'completed',
			refundedAmount: 0,
			createdAt: 1_700_000_000_000,
			...extra
		};
	}

	function event(seq: number): SyncEvent {
		return {
			seq,
			at: 1_700_000_000_000 + seq,
			entity: 'order',
			entityId: 'o1',
			orderId: 'o1',
			type: 'order.created'
		};
	}

	describe('migrations', () => {
		it('can run again without changing anything', async () => {
			expect(await migrate(db)).toBe(0);
			const tables = await store.select<{ table_name: string }>(
				`select table_name from information_schema.tables where table_schema = 'public'`
			);
			expect(tables.map((t) => t.table_name).sort()).toEqual([
				'approvals',
				'attempts',
				'audit_log',
				'auth_counters',
				'catalog_categories',
				'catalog_modifier_groups',
				'catalog_products',
				'catalog_settings',
				'cloud_order_events',
				'cloud_orders',
				'devices',
				'iotpay_sales',
				'journal_events',
				'notifications',
				'orders',
				'pairing_codes',
				'schema_migrations',
				'server_secrets',
				'shop_profile',
				'shop_terminals',
				'staff',
				'staff_sign_ins',
				'sync_quarantine',
				'tax_rates',
				'tenders'
			]);
		});
	});

	describe('devices', () => {
		it('creates devices with increasing numbers and finds them by token hash', async () => {
			const a = await store.createDevice({ id: 'd-a', name: 'Till A', tokenHash: 'h-a', now: 5 });
			const b = await store.createDevice({ id: 'd-b', name: 'Till B', tokenHash: 'h-b', now: 6 });
			expect(b.number).toBeGreaterThan(a.number);
			expect(await store.findDeviceByTokenHash('h-b')).toEqual(b);
			expect(await store.findDeviceByTokenHash('nope')).toBeNull();
			await store.touchDevice('d-a', 100);
			await store.touchDevice('d-a', 50);
			expect((await store.getDevice('d-a'))?.lastSeenAt).toBe(100);
		});
	});

	describe('applySync', () => {
		it('stores a batch once: resending it changes nothing', async () => {
			const batch = {
				orders: [order('o1', 10)],
				attempts: [attempt('a1', 'POS1abc', 10)],
				tenders: [tender('t1')],
				events: [event(1), event(2)]
			};
			expect((await store.applySync('dev-1', batch)).applied).toEqual({
				orders: 1,
				attempts: 1,
				tenders: 1,
				events: 2
			});
			const again = await store.applySync('dev-1', batch);
			expect(again.applied).toEqual({ orders: 0, attempts: 0, tenders: 0, events: 0 });
			expect(again.records.map((r) => r.outcome)).toEqual(['held', 'held', 'held']);
			const rows = await store.select<{ n: number }>(
				'select count(*)::int as n from journal_events'
			);
			expect(rows[0]?.n).toBe(2);
		});

		it('keeps every refusal of a record as evidence, and the very same one once', async () => {
			const refusal = (reason: 'figures' | 'invalid', raw: unknown) => ({
				...empty,
				rejected: [{ entity: 'order' as const, id: 'o-evidence', raw, reason, message: reason }]
			});
			await store.applySync('dev-1', refusal('figures', { id: 'o-evidence', paid: 999 }));
			await store.applySync('dev-1', refusal('figures', { id: 'o-evidence', paid: 999 }));
			await store.applySync('dev-1', refusal('invalid', { id: 'o-evidence', day: 'soon' }));
			const rows = await store.select<{ reason: string }>(
				`select reason from sync_quarantine where entity_id = 'o-evidence' order by id`
			);
			expect(rows).toEqual([{ reason: 'figures' }, { reason: 'invalid' }]);
		});

		it('answers "stale", not "held", for another version under the same stamp', async () => {
			await store.applySync('dev-1', { ...empty, orders: [order('o-same', 10)] });
			const again = await store.applySync('dev-1', {
				...empty,
				orders: [order('o-same', 10, { note: 'changed under the same updatedAt' })]
			});
			expect(again.records).toMatchObject([{ id: 'o-same', outcome: 'stale' }]);
			expect(again.applied.orders).toBe(0);
			const resend = await store.applySync('dev-1', { ...empty, orders: [order('o-same', 10)] });
			expect(resend.records).toMatchObject([{ id: 'o-same', outcome: 'held' }]);
		});

		it('lets a newer version replace an older one, never the reverse', async () => {
			await store.applySync('dev-1', { ...empty, orders: [order('o2', 10, { status: 'open' })] });
			expect(
				(
					await store.applySync('dev-1', {
						...empty,
						orders: [order('o2', 20, { status: 'paid' })]
					})
				).applied
			).toMatchObject({ orders: 1 });
			expect(
				await store.applySync('dev-1', {
					...empty,
					orders: [order('o2', 15, { status: 'cancelled' })]
				})
			).toMatchObject({ applied: { orders: 0 }, records: [{ id: 'o2', outcome: 'stale' }] });
			const [stored] = await store.listOrders({ q: 'o2', limit: 10 });
			expect(stored).toMatchObject({ id: 'o2', status: 'paid', updatedAt: 20 });
			const columns = await store.select<{ status: string; updated_at: number }>(
				'select status, updated_at from orders where id = $1',
				['o2']
			);
			expect(columns).toEqual([{ status: 'paid', updated_at: 20 }]);
		});

		it('updates a tender that carries updatedAt; without it the first version stays', async () => {
			await store.applySync('dev-1', { ...empty, tenders: [tender('t2')] });
			const refunded = tender('t2', {
				status: 'refunded',
				refundedAmount: 1000,
				updatedAt: 1_700_000_100_000
			});
			expect(
				(await store.applySync('dev-1', { ...empty, tenders: [refunded] })).applied
			).toMatchObject({ tenders: 1 });
			const rows = await store.select<{ status: string }>(
				'select status from tenders where id = $1',
				['t2']
			);
			expect(rows).toEqual([{ status: 'refunded' }]);
		});

		it('does not let another device overwrite a record it does not own', async () => {
			await store.applySync('dev-1', { ...empty, orders: [order('o3', 10)] });
			const result = await store.applySync('dev-2', {
				...empty,
				orders: [order('o3', 99, { status: 'voided' })]
			});
			expect(result.applied.orders).toBe(0);
			expect(result.rejected).toMatchObject([
				{ entity: 'order', id: 'o3', reason: 'other_device' }
			]);
			const rows = await store.select<{ device_id: string; status: string }>(
				'select device_id, status from orders where id = $1',
				['o3']
			);
			expect(rows).toEqual([{ device_id: 'dev-1', status: 'open' }]);
		});

		it('keeps events per device: the same seq from two devices is two events', async () => {
			await store.applySync('dev-x', { ...empty, events: [event(1)] });
			await store.applySync('dev-y', { ...empty, events: [event(1)] });
			const rows = await store.select<{ device_id: string }>(
				`select device_id from journal_events where device_id in ('dev-x', 'dev-y') order by device_id`
			);
			expect(rows).toEqual([{ device_id: 'dev-x' }, { device_id: 'dev-y' }]);
		});

		it('refuses an attempt that reuses a merchant order number, and stores the rest', async () => {
			await store.applySync('dev-1', { ...empty, attempts: [attempt('a5', 'POS1dup', 10)] });
			const result = await store.applySync('dev-1', {
				...empty,
				orders: [order('o-kept', 10)],
				attempts: [attempt('a6', 'POS1dup', 10)]
			});
			expect(result.rejected).toMatchObject([
				{ entity: 'attempt', id: 'a6', reason: 'merchant_order_no_taken' }
			]);
			expect(await store.listOrders({ q: 'o-kept', limit: 10 })).toHaveLength(1);
			const quarantined = await store.select<{ entity_id: string }>(
				`select entity_id from sync_quarantine where reason = 'merchant_order_no_taken'`
			);
			expect(quarantined).toEqual([{ entity_id: 'a6' }]);
		});
	});

	describe('listOrders', () => {
		it('filters by day and number, newest first', async () => {
			await store.applySync('dev-2', {
				...empty,
				orders: [
					order('l1', 1, { day: '2024-04-01', number: 'POS2-0001', createdAt: 1 }),
					order('l2', 1, { day: '2024-04-01', number: 'POS2-0002', createdAt: 2 }),
					order('l3', 1, { day: '2024-04-02', number: 'POS2-0003', createdAt: 3 })
				]
			});
			const day = await store.listOrders({ day: '2024-04-01', limit: 10 });
			expect(day.map((o) => o.id)).toEqual(['l2', 'l1']);
			const search = await store.listOrders({ q: 'pos2-000', limit: 2 });
			expect(search.map((o) => o.id)).toEqual(['l3', 'l2']);
			expect(await store.listOrders({ q: '%', limit: 10 })).toEqual([]);
		});
	});

	describe('approvals and notifications', () => {
		it('records approvals', async () => {
			await store.recordApproval({
				id: 'ap1',
				deviceId: 'd-a',
				managerId: 'morgan',
				requestedBy: 'casey',
				action: 'refund',
				orderId: 'o1',
				origAttemptId: 'a1',
				origMerchantOrderNo: 'POS1A1',
				amount: 450,
				createdAt: 7,
				expiresAt: 1_000,
				usedByAttemptId: null,
				relayMerchantOrderNo: null
			});
			const rows = await store.select('select manager_id, action from approvals');
			expect(rows).toEqual([{ manager_id: 'morgan', action: 'refund' }]);
			expect(await store.getApproval('ap1')).toMatchObject({ amount: 450, expiresAt: 1_000 });
		});

		it('lets one attempt use an approval, and a frame claim it once, before it expires', async () => {
			expect(await store.useApproval('ap1', 'refund-1')).toBe(true);
			expect(await store.useApproval('ap1', 'refund-1')).toBe(true);
			expect(await store.useApproval('ap1', 'refund-2')).toBe(false);
			const frame = {
				deviceId: 'd-a',
				action: 'refund' as const,
				origMerchantOrderNo: 'POS1A1',
				amount: 450,
				merchantOrderNo: 'POS1R1',
				now: 999
			};
			expect(await store.claimApprovalForFrame({ ...frame, amount: 451 })).toBeNull();
			expect(await store.claimApprovalForFrame({ ...frame, deviceId: 'd-b' })).toBeNull();
			expect(await store.claimApprovalForFrame({ ...frame, now: 1_000 })).toBeNull();
			expect(await store.claimApprovalForFrame(frame)).toMatchObject({
				id: 'ap1',
				relayMerchantOrderNo: 'POS1R1'
			});
			expect(await store.claimApprovalForFrame(frame)).toBeNull();
		});

		// Two server instances need two connections: an in-memory PGlite has one.
		(backend.name === 'postgres' ? it : () => undefined)(
			'lets only one of two server instances pass a frame on one approval, however close the race',
			async () => {
				const second = await another!();
				try {
					for (let round = 0; round < 20; round++) {
						const id = `race-${round}`;
						await store.recordApproval({
							id,
							deviceId: 'd-race',
							managerId: 'morgan',
							requestedBy: null,
							action: 'void',
							orderId: 'o1',
							origAttemptId: `sale-${round}`,
							origMerchantOrderNo: `RACE${round}`,
							amount: 100,
							createdAt: 0,
							expiresAt: 10_000,
							usedByAttemptId: null,
							relayMerchantOrderNo: null
						});
						const frame = (instance: SqlStore, no: string) =>
							instance.claimApprovalForFrame({
								deviceId: 'd-race',
								action: 'void',
								origMerchantOrderNo: `RACE${round}`,
								amount: 100,
								merchantOrderNo: no,
								now: 1
							});
						const claims = await Promise.all([
							frame(store, 'A'),
							frame(second, 'B'),
							frame(store, 'C'),
							frame(second, 'D')
						]);
						expect(claims.filter((c) => c !== null)).toHaveLength(1);
						const uses = await Promise.all([
							store.useApproval(id, 'x'),
							second.useApproval(id, 'y')
						]);
						expect(uses.filter(Boolean)).toHaveLength(1);
					}
				} finally {
					await second.close();
				}
			}
		);

		it('remembers who signed in on which till', async () => {
			await store.recordSignIn('d-a', 'casey', 10);
			await store.recordSignIn('d-a', 'casey', 5);
			expect(await store.hasSignedIn('d-a', 'casey')).toBe(true);
			expect(await store.hasSignedIn('d-b', 'casey')).toBe(false);
		});

		it('keeps a notification once per dedupe key', async () => {
			const n = { id: 'n1', source: 'iotpay', dedupeKey: 'iotpay:T1', receivedAt: 1, body: [1, 2] };
			expect(await store.recordNotification(n)).toBe(true);
			expect(await store.recordNotification({ ...n, id: 'n2' })).toBe(false);
			const rows = await store.select('select body from notifications');
			expect(rows).toEqual([{ body: [1, 2] }]);
		});
	});
});
