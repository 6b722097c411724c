import { liveQuery } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { nativeWrite } from './native-write';
import { orderDraft, saleInput, testJournal, type TestJournal } from './testing';
import type { PaymentAttempt } from './types';

let t: TestJournal | undefined;
afterEach(() => {
	t?.db.close();
	t = undefined;
});

describe('nativeWrite', () => {
	it('keeps nothing of a transaction whose body throws, and reports the body’s error', async () => {
		t = testJournal();
		const error = await nativeWrite(t.db, ['meta'], async (tx) => {
			await tx.add('meta', { key: 'a', value: 1 });
			throw new Error('check failed');
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({ message: 'check failed' });
		expect(await t.db.meta.get('a')).toBeUndefined();
	});

	it('keeps nothing when one of its writes is refused', async () => {
		t = testJournal();
		await t.db.meta.put({ key: 'taken', value: 1 });
		const error = await nativeWrite(t.db, ['meta'], async (tx) => {
			const first = tx.add('meta', { key: 'new', value: 2 });
			const second = tx.add('meta', { key: 'taken', value: 3 });
			await Promise.all([first, second]);
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({ name: 'ConstraintError' });
		expect(await t.db.meta.get('new')).toBeUndefined();
		expect(await t.db.meta.get('taken')).toEqual({ key: 'taken', value: 1 });
	});

	it('tells live queries what it wrote: a new attempt shows before it is sent', async () => {
		t = testJournal();
		const { db, journal } = t;
		const order = await journal.createOrder(orderDraft(1000));
		const seen: PaymentAttempt[][] = [];
		const subscription = liveQuery(() =>
			db.attempts.where({ orderId: order.id }).toArray()
		).subscribe((attempts) => seen.push(attempts));
		try {
			await expect.poll(() => seen.length).toBe(1);
			expect(seen[0]).toEqual([]);
			const attempt = await journal.beginAttempt(saleInput(order.id, 1000));
			await expect
				.poll(() => seen.at(-1)?.map((a) => [a.id, a.state]))
				.toEqual([[attempt.id, 'created']]);
		} finally {
			subscription.unsubscribe();
		}
	});
});
