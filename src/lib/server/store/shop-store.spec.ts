/**
 * The shop in the database (issue 13), on PGlite and PostgreSQL: created once, whoever races;
 * every change moves the revision the servers watch; tills renamed, revoked and reporting.
 */
import { describe, expect, it } from 'vitest';
import type { NewShop } from './shop-store';
import { hasPostgres, postgresBackend, testBackends } from './test-stores';

const shop = (name: string, now = 1_000): NewShop => ({
	profile: {
		name,
		address: '1 Main St',
		taxNumber: 'TX-1',
		currency: 'USD',
		locale: 'en-US',
		timeZone: 'UTC',
		receiptHeader: 'Hello',
		receiptFooter: 'Bye',
		devicePrefix: 'POS',
		demo: false
	},
	pairingCodeHash: 'hash',
	staff: [{ id: 'o', name: 'Olive', role: 'owner', pinHash: 'scrypt$2$a$b', active: true }],
	terminals: [
		{ id: 't1', name: 'Sim', rail: 'simulated', currency: 'USD', params: { scenario: 'approve' } }
	],
	source: 'test',
	now
});

describe.each(testBackends)('the shop store on $name', { timeout: 120_000 }, (backend) => {
	it('holds nothing before setup, then exactly the first shop created', async () => {
		const { store } = await backend.open();
		expect(await store.shop.revision()).toBeNull();
		expect(await store.shop.snapshot()).toBeNull();
		expect(await store.shop.create(shop('First'))).toBe(true);
		expect(await store.shop.create(shop('Second'))).toBe(false);
		const snapshot = await store.shop.snapshot();
		expect(snapshot?.profile.name).toBe('First');
		expect(snapshot?.staff.map((s) => s.name)).toEqual(['Olive']);
		expect(snapshot?.terminals).toEqual([
			{ id: 't1', name: 'Sim', rail: 'simulated', currency: 'USD', params: { scenario: 'approve' } }
		]);
		await store.close();
	});

	it('moves the revision with every change, and writes nothing a refused change asked for', async () => {
		const { store } = await backend.open();
		await store.shop.create(shop('Shop'));
		const r0 = (await store.shop.revision()) ?? 0;
		const added = await store.shop.changeStaff(2_000, async (all) => ({
			write: [{ id: 'c', name: 'Cass', role: 'cashier' as const, pinHash: 'x', active: true }],
			result: all.length
		}));
		expect(added).toBe(1);
		const r1 = (await store.shop.revision()) ?? 0;
		expect(r1).toBeGreaterThan(r0);
		const refused = await store.shop.changeStaff(3_000, async () => ({ refuse: 'no' }));
		expect(refused).toBe('no');
		expect(await store.shop.revision()).toBe(r1);
		await store.shop.putTerminal(
			{ id: 't2', name: 'Two', rail: 'simulated', currency: 'USD', params: {} },
			4_000
		);
		expect(await store.shop.removeTerminal('t1', 5_000)).toBe(true);
		expect(await store.shop.removeTerminal('t1', 5_000)).toBe(false);
		const snapshot = await store.shop.snapshot();
		expect(snapshot?.terminals.map((t) => t.id)).toEqual(['t2']);
		expect(snapshot?.staff.map((s) => s.id)).toEqual(['o', 'c']);
		expect(snapshot?.revision).toBeGreaterThan(r1);
		await store.close();
	});

	it('renames and revokes tills, and keeps what each last said it had to sync', async () => {
		const { store } = await backend.open();
		const till = await store.createDevice({ id: 'd1', name: 'Front', tokenHash: 'th', now: 1 });
		await store.tills.report(till.id, { unsynced: 3, appVersion: '0.1.0+b1' }, 10);
		expect(await store.tills.rename(till.id, 'Counter')).toMatchObject({ name: 'Counter' });
		const revoked = await store.tills.revoke(till.id, 'o', 20);
		expect(revoked).toMatchObject({ unsynced: 3, appVersion: '0.1.0+b1', revokedAt: 20 });
		// A second revocation keeps the first one's time and author.
		expect(await store.tills.revoke(till.id, 'x', 30)).toMatchObject({
			revokedAt: 20,
			revokedBy: 'o'
		});
		expect((await store.findDeviceByTokenHash('th'))?.revokedAt).toBe(20);
		expect(await store.tills.rename('nobody', 'X')).toBeNull();
		await store.close();
	});
});

describe.skipIf(!hasPostgres)(
	'setups racing on two instances (PostgreSQL)',
	{ timeout: 120_000 },
	() => {
		it('let exactly one win', async () => {
			const { store, another } = await postgresBackend.open();
			const other = await another!();
			const results = await Promise.all([
				store.shop.create(shop('A')),
				other.shop.create(shop('B')),
				store.shop.create(shop('C')),
				other.shop.create(shop('D'))
			]);
			expect(results.filter(Boolean)).toHaveLength(1);
			const winner = ['A', 'B', 'C', 'D'][results.indexOf(true)];
			expect((await other.shop.snapshot())?.profile.name).toBe(winner);
			expect(await store.shop.listStaff()).toHaveLength(1);
			await Promise.all([store.close(), other.close()]);
		});
	}
);
