import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeed } from './change-feed';
import type { SqlClient } from './sql';
import { hasPostgres, postgresBackend, testBackends } from './test-stores';

const opened: SqlClient[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map((db) => db.close()));
});

const settledWithin = async (promise: Promise<void>, ms: number) =>
	Promise.race([
		promise.then(() => true),
		new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))
	]);

describe.each(testBackends)('ChangeFeed on $name', { timeout: 60_000 }, (backend) => {
	// One database for these (opening PGlite is the slow part); each test listens on its own channel.
	let db: SqlClient;
	beforeAll(async () => {
		db = (await backend.open()).db;
	}, 60_000);
	afterAll(() => db.close());

	it('wakes the waiter on the key a committed transaction names, not the others', async () => {
		const feed = new ChangeFeed(db, 'test_changes_1');
		expect(await feed.ready()).toBe(true);
		const mine = feed.arm('till-a');
		const other = feed.arm('till-b');
		await db.transaction(async (tx) => {
			await tx.query(feed.notifySql, ['till-a']);
		});
		expect(await settledWithin(mine.wait(10_000), 5_000)).toBe(true);
		const started = Date.now();
		await other.wait(300);
		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
	});

	it('a change between arming and waiting is not missed', async () => {
		const feed = new ChangeFeed(db, 'test_changes_2');
		await feed.ready();
		const armed = feed.arm('till-a');
		await db.query(feed.notifySql, ['till-a']);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(await settledWithin(armed.wait(10_000), 50)).toBe(true);
	});

	it('a rolled-back transaction wakes nobody', async () => {
		const feed = new ChangeFeed(db, 'test_changes_3');
		await feed.ready();
		const armed = feed.arm('till-a');
		await db
			.transaction(async (tx) => {
				await tx.query(feed.notifySql, ['till-a']);
				throw new Error('undone');
			})
			.catch(() => {});
		expect(await settledWithin(armed.wait(10_000), 500)).toBe(false);
	});
});

describe.skipIf(!hasPostgres)('ChangeFeed across instances (PostgreSQL)', () => {
	it('a cloud order recorded by another instance wakes the till stream waiting on this one', async () => {
		const first = await postgresBackend.open();
		opened.push(first.db);
		const second = await first.another!();
		const feed = first.store.cloudOrders.changes;
		await feed.ready();
		const armed = feed.arm('till-a');
		const now = Date.now();
		await second.cloudOrders.create({
			merchantOrderNo: 'M1',
			deviceId: 'till-a',
			terminalId: 'cloud-1',
			kind: 'sale',
			amount: 1250,
			tip: 0,
			currency: 'USD',
			origMerchantOrderNo: null,
			expiresAt: now + 60_000,
			nextPollAt: now + 5_000,
			createdAt: now
		});
		expect(await settledWithin(armed.wait(10_000), 5_000)).toBe(true);
		await second.close();
	});
});
