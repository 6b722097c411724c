import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POS_KEY, PosKeyFormatError } from './cipher';
import { PosKeyStore } from './key-store';

const names: string[] = [];
const stores: PosKeyStore[] = [];
function freshStore(): { store: PosKeyStore; name: string } {
	const name = `keys-${crypto.randomUUID()}`;
	names.push(name);
	const store = new PosKeyStore(name);
	stores.push(store);
	return { store, name };
}

afterEach(async () => {
	for (const store of stores.splice(0)) store.close();
	await Promise.all(names.splice(0).map((name) => Dexie.delete(name)));
});

const KEY = 'Zx9!kq2Lm0Pw7Rt5Yv3Nb8Hc1Jd6Gf4S';

describe('PosKeyStore', () => {
	it('gives back the key saved for a terminal, and nothing for another', async () => {
		const { store } = freshStore();
		await store.save('hj-1', ` ${KEY} `, 'ascii256');
		expect(await store.load('hj-1')).toBe(KEY);
		expect(await store.load('hj-2')).toBeUndefined();
		expect(await store.describe('hj-1')).toMatchObject({ isDefault: false });
	});

	it('keeps only ciphertext and a non-extractable device key in IndexedDB', async () => {
		const { store, name } = freshStore();
		await store.save('hj-1', KEY, 'ascii256');
		const raw = new Dexie(name);
		await raw.open();
		const records = await raw.table('keys').toArray();
		const [device] = await raw.table('device').toArray();
		raw.close();
		expect(JSON.stringify(records)).not.toContain(KEY);
		const bytes = new Uint8Array(records[0].sealed as ArrayBuffer);
		expect(new TextDecoder().decode(bytes)).not.toContain(KEY);
		expect(device.key).toBeInstanceOf(CryptoKey);
		expect(device.key.extractable).toBe(false);
		await expect(crypto.subtle.exportKey('raw', device.key)).rejects.toThrow();
	});

	it('flags the factory key so the screen can keep warning about it', async () => {
		const { store } = freshStore();
		await store.save('hj-1', DEFAULT_POS_KEY, 'ascii256');
		expect(await store.describe('hj-1')).toMatchObject({ isDefault: true });
	});

	it('refuses a key that cannot be one, with a reason, and stores nothing', async () => {
		const { store } = freshStore();
		await expect(store.save('hj-1', 'too-short', 'ascii256')).rejects.toBeInstanceOf(
			PosKeyFormatError
		);
		await expect(store.save('hj-1', 'z'.repeat(32), 'hex128')).rejects.toThrow(/0-9, a-f/);
		expect(await store.describe('hj-1')).toBeUndefined();
	});

	it('does not unseal a record moved to another terminal id', async () => {
		const { store, name } = freshStore();
		await store.save('hj-1', KEY, 'ascii256');
		const raw = new Dexie(name);
		await raw.open();
		const record = await raw.table('keys').get('hj-1');
		await raw.table('keys').put({ ...record, terminalId: 'hj-2' });
		raw.close();
		expect(await store.load('hj-2')).toBeUndefined();
	});

	it('forgets a removed key', async () => {
		const { store } = freshStore();
		await store.save('hj-1', KEY, 'ascii256');
		await store.remove('hj-1');
		expect(await store.load('hj-1')).toBeUndefined();
	});
});
