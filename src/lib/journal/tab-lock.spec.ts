import { describe, expect, it } from 'vitest';
import { acquireWriterLock, type LockManagerLike } from './tab-lock';

/** A small fake of `navigator.locks` with the `ifAvailable` semantics of the Web Locks API. */
class FakeLocks implements LockManagerLike {
	held = new Set<string>();
	async request<T>(
		name: string,
		options: { ifAvailable: boolean },
		callback: (lock: unknown) => Promise<T> | T
	): Promise<T> {
		if (this.held.has(name)) {
			if (options.ifAvailable) return callback(null);
			throw new Error('the fake only supports ifAvailable');
		}
		this.held.add(name);
		try {
			return await callback({ name, mode: 'exclusive' });
		} finally {
			this.held.delete(name);
		}
	}
}

describe('acquireWriterLock', () => {
	it('gives the lock to the first tab only, until it releases it', async () => {
		const locks = new FakeLocks();
		const first = await acquireWriterLock('pos-writer', locks);
		expect(first).toMatchObject({ exclusive: true });
		expect(await acquireWriterLock('pos-writer', locks)).toBeNull();
		expect(await acquireWriterLock('other-pos', locks)).not.toBeNull();

		first?.release();
		first?.release();
		await expect.poll(() => locks.held.has('pos-writer')).toBe(false);
		expect(await acquireWriterLock('pos-writer', locks)).toMatchObject({ exclusive: true });
	});

	it('lets a browser without Web Locks sell, saying the lock is not exclusive', async () => {
		const lock = await acquireWriterLock('pos-writer', undefined);
		expect(lock).toMatchObject({ exclusive: false });
		expect(() => lock?.release()).not.toThrow();
	});
});
