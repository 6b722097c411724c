/**
 * The till's credentials across restarts: kept in IndexedDB (fake-indexeddb here), taken over once
 * from the localStorage of a till paired before, and read before anything decides "not paired".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialStore } from './credential-store';
import { Session } from './session.svelte';

class MemoryStorage {
	#items = new Map<string, string>();
	getItem(key: string): string | null {
		return this.#items.get(key) ?? null;
	}
	setItem(key: string, value: string): void {
		this.#items.set(key, value);
	}
	removeItem(key: string): void {
		this.#items.delete(key);
	}
}

const device = { deviceId: 'dev-1', token: 't'.repeat(43), name: 'Front till' };
const session = {
	staff: { id: 'casey', name: 'Casey Cashier', role: 'cashier' },
	sessionToken: 'v1.body.sig',
	expiresAt: Date.now() + 60_000
};
let dbName = '';

beforeEach(() => {
	(globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
	dbName = `pos-credentials-${Math.random()}`;
});
afterEach(() => {
	delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('Session', () => {
	it('is not loaded, and so not "unpaired", until the stored credentials are read', async () => {
		await new CredentialStore(dbName).write('pos.device', device);
		const s = new Session(new CredentialStore(dbName));
		expect(s.loaded).toBe(false);
		await s.ready;
		expect(s.loaded).toBe(true);
		expect(s.device).toEqual(device);
	});

	it('takes a pairing and a session over from localStorage once', async () => {
		localStorage.setItem('pos.device', JSON.stringify(device));
		localStorage.setItem('pos.session', JSON.stringify(session));
		const first = new Session(new CredentialStore(dbName));
		await first.ready;
		expect(first.device).toEqual(device);
		expect(first.signedIn).toBe(true);
		expect(localStorage.getItem('pos.device')).toBeNull();
		expect(localStorage.getItem('pos.session')).toBeNull();
		const next = new Session(new CredentialStore(dbName));
		await next.ready;
		expect(next.device).toEqual(device);
		expect(next.staff).toEqual(session.staff);
	});

	it('forgets a signed-out session and an unpaired device for good', async () => {
		const store = new CredentialStore(dbName);
		await store.write('pos.device', device);
		await store.write('pos.session', session);
		const s = new Session(store);
		await s.ready;
		await s.logout();
		expect((await reopened()).signedIn).toBe(false);
		await s.unpair();
		expect((await reopened()).device).toBeNull();
	});

	it('drops a stored value that is not a credential', async () => {
		await new CredentialStore(dbName).write('pos.device', { deviceId: 1 });
		expect((await reopened()).device).toBeNull();
	});
});

async function reopened(): Promise<Session> {
	const s = new Session(new CredentialStore(dbName));
	await s.ready;
	return s;
}
