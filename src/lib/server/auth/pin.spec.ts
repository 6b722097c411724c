import { describe, expect, it } from 'vitest';
import { hashPin, PIN_HASH_PATTERN, verifyPin } from './pin';

describe('PIN hashing', () => {
	it('verifies the right PIN and rejects others', async () => {
		const stored = await hashPin('4321');
		expect(stored).toMatch(PIN_HASH_PATTERN);
		expect(stored.startsWith('scrypt$16384$')).toBe(true);
		expect(await verifyPin('4321', stored)).toBe(true);
		expect(await verifyPin('4322', stored)).toBe(false);
		expect(await verifyPin('', stored)).toBe(false);
	});

	it('salts each hash, so equal PINs hash differently', async () => {
		const [a, b] = await Promise.all([hashPin('1111', 1024), hashPin('1111', 1024)]);
		expect(a).not.toBe(b);
		expect(await verifyPin('1111', a)).toBe(true);
		expect(await verifyPin('1111', b)).toBe(true);
	});

	it('verifies the demo configuration hashes', async () => {
		const demo = 'scrypt$16384$D-Jo_VeWEbsy2yLmU3Dxew$q0PryemeC5fj2bRhdJLFuCPpR5M1JmpnFU1X4JLvMmY';
		expect(await verifyPin('1111', demo)).toBe(true);
		expect(await verifyPin('9999', demo)).toBe(false);
	});

	it('treats malformed or hostile hashes as no match', async () => {
		const good = await hashPin('1111', 1024);
		const [, , salt, hash] = good.split('$');
		expect(await verifyPin('1111', 'plain-1111')).toBe(false);
		expect(await verifyPin('1111', `scrypt$1000$${salt}$${hash}`)).toBe(false);
		expect(await verifyPin('1111', `scrypt$${2 ** 30}$${salt}$${hash}`)).toBe(false);
		expect(await verifyPin('1111', `scrypt$1024$${salt}$AAAA`)).toBe(false);
	});

	it('refuses an N that is not a power of two', async () => {
		await expect(hashPin('1111', 1000)).rejects.toThrow(RangeError);
	});
});
