import { describe, expect, it } from 'vitest';
import { checkStorage, type StorageManagerLike } from './storage';

const MB = 1024 * 1024;

function fakeStorage(opts: { granted: boolean; usage: number; quota: number }) {
	let persisted = false;
	const calls = { persist: 0 };
	const storage: StorageManagerLike = {
		persisted: async () => persisted,
		persist: async () => {
			calls.persist += 1;
			persisted = opts.granted;
			return persisted;
		},
		estimate: async () => ({ usage: opts.usage, quota: opts.quota })
	};
	return { storage, calls };
}

describe('checkStorage', () => {
	it('asks for persistence once and reports plenty of room without a warning', async () => {
		const { storage, calls } = fakeStorage({ granted: true, usage: 10 * MB, quota: 1000 * MB });
		expect(await checkStorage(storage)).toEqual({
			persisted: true,
			usage: 10 * MB,
			quota: 1000 * MB,
			nearlyFull: false
		});
		await checkStorage(storage);
		expect(calls.persist).toBe(1);
	});

	it('does not ask again when the browser refused', async () => {
		const { storage, calls } = fakeStorage({ granted: false, usage: 0, quota: 1000 * MB });
		const report = await checkStorage(storage);
		await checkStorage(storage);
		expect(calls.persist).toBe(1);
		expect(report.persisted).toBe(false);
		expect(report.warning).toMatch(/may delete/);
	});

	it('warns when over 90% is used', async () => {
		const { storage } = fakeStorage({ granted: true, usage: 950 * MB, quota: 1000 * MB });
		const report = await checkStorage(storage);
		expect(report.nearlyFull).toBe(true);
		expect(report.warning).toMatch(/almost full \(50 MB left\)/);
	});

	it('warns when under 50 MB is free even on a small quota', async () => {
		const { storage } = fakeStorage({ granted: true, usage: 20 * MB, quota: 60 * MB });
		expect((await checkStorage(storage)).nearlyFull).toBe(true);
		const roomy = fakeStorage({ granted: true, usage: 20 * MB, quota: 200 * MB });
		expect((await checkStorage(roomy.storage)).nearlyFull).toBe(false);
	});

	it('says so when the browser has no storage API', async () => {
		const report = await checkStorage(undefined);
		expect(report).toMatchObject({ persisted: false, nearlyFull: false });
		expect(report.warning).toBeTruthy();
	});
});
