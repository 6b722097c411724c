import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { posKeyStore } from '$lib/terminals/haojin-usb/key-store';
import type { TerminalConfig } from '$lib/terminals/driver';
import { Terminals } from './terminals.svelte';

/** A Map-backed `localStorage`, as the browser gives the till. */
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

const usbTerminal: TerminalConfig = {
	id: 'hj-counter',
	name: 'Counter USB',
	rail: 'haojin-usb',
	currency: 'HKD',
	params: {}
};

/** The demo store's till: terminals may be added on it, the simulated one among them. */
const demoTerminals = () => new Terminals(undefined, () => true);

beforeEach(() => {
	(globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
});
afterEach(() => {
	delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('Terminals.remove', () => {
	it('erases a removed USB terminal’s POS-KEY from the device', async () => {
		const terminals = demoTerminals();
		terminals.save(usbTerminal);
		await posKeyStore().save(usbTerminal.id, 'Zx9!kq2Lm0Pw7Rt5Yv3Nb8Hc1Jd6Gf4S', 'ascii256');
		await posKeyStore().save('hj-other', 'Ab9!kq2Lm0Pw7Rt5Yv3Nb8Hc1Jd6Gf4S', 'ascii256');

		await terminals.remove(usbTerminal.id);

		expect(terminals.all.map((t) => t.id)).not.toContain(usbTerminal.id);
		expect(await posKeyStore().describe(usbTerminal.id)).toBeUndefined();
		// Another terminal's key stays.
		expect(await posKeyStore().describe('hj-other')).toBeDefined();
	});

	it('keeps the key of a terminal the server provisions (only the local override goes)', async () => {
		const terminals = demoTerminals();
		terminals.setProvisioned([{ ...usbTerminal, id: 'hj-fleet', provisioned: true }]);
		terminals.save({ ...usbTerminal, id: 'hj-fleet', params: { baudRate: 19200 } });
		await posKeyStore().save('hj-fleet', 'Zx9!kq2Lm0Pw7Rt5Yv3Nb8Hc1Jd6Gf4S', 'ascii256');

		await terminals.remove('hj-fleet');

		expect(terminals.all.map((t) => t.id)).toContain('hj-fleet');
		expect(await posKeyStore().describe('hj-fleet')).toBeDefined();
	});
});

describe('Terminals.setProvisioned', () => {
	const simulated: TerminalConfig = {
		id: 'sim-fleet',
		name: 'Fleet simulator',
		rail: 'simulated',
		currency: 'USD',
		params: { scenario: 'approve', cardSeconds: 0 }
	};

	it('a terminal the server changed gets a new driver; an unchanged one keeps its own', async () => {
		const terminals = demoTerminals();
		terminals.setProvisioned([simulated, { ...simulated, id: 'sim-other' }]);
		const first = await terminals.driver('sim-fleet');
		const other = await terminals.driver('sim-other');

		terminals.setProvisioned([
			{ ...simulated, name: 'Renamed on the server' },
			{ ...simulated, id: 'sim-other' }
		]);
		expect(terminals.all.find((t) => t.id === 'sim-fleet')?.name).toBe('Renamed on the server');
		expect(await terminals.driver('sim-fleet')).not.toBe(first);
		expect(await terminals.driver('sim-other')).toBe(other);
	});

	it('a terminal busy with a payment keeps its driver until the payment is over', async () => {
		const slow = { ...simulated, params: { scenario: 'approve', cardSeconds: 0.3 } };
		const terminals = demoTerminals();
		terminals.setProvisioned([slow]);
		const driver = await terminals.driver('sim-fleet');
		const sale = driver.sale({ merchantOrderNo: 'M1', amount: 100, tip: 0, currency: 'USD' });
		await vi.waitFor(() => expect(terminals.statuses['sim-fleet']).toBe('busy'));

		terminals.setProvisioned([{ ...slow, name: 'Renamed during the sale' }]);
		expect(await terminals.driver('sim-fleet')).toBe(driver);
		expect((await sale).status).toBe('approved');
		await vi.waitFor(async () => expect(await terminals.driver('sim-fleet')).not.toBe(driver));
	});
});

describe('outside demo mode', () => {
	const provisioned: TerminalConfig = {
		id: 'codepay-1',
		name: 'Counter',
		rail: 'codepay-lan',
		currency: 'USD',
		params: { host: '192.168.1.20', port: 35779, appId: 'APP' }
	};

	it('a till cannot add a terminal, nor use a simulated one', async () => {
		const terminals = new Terminals(undefined, () => false);
		terminals.setProvisioned([provisioned]);
		const fake: TerminalConfig = {
			id: 't-fake',
			name: 'Simulated terminal',
			rail: 'simulated',
			currency: 'USD',
			params: { scenario: 'approve' }
		};
		expect(() => terminals.save(fake)).toThrow(/set up on the POS server/);
		expect(terminals.all.map((t) => t.id)).toEqual(['codepay-1']);
		await expect(terminals.driver('t-fake')).rejects.toThrow(/not configured/);
	});

	it('a till cannot repoint a provisioned terminal', () => {
		const terminals = new Terminals(undefined, () => false);
		terminals.setProvisioned([provisioned]);
		terminals.save({ ...provisioned, params: { host: '10.6.6.6', appId: 'APP' } });
		expect(terminals.all[0]?.params.host).toBe('192.168.1.20');
	});
});

describe('the terminals saved on a till', () => {
	it('are read one by one: an entry this version refuses does not take the others with it', () => {
		const good = { ...usbTerminal, id: 'kept' };
		localStorage.setItem(
			'pos.terminals',
			JSON.stringify([good, { ...usbTerminal, id: 'bad', params: { baudRate: { x: 1 } } }])
		);
		const terminals = demoTerminals();
		expect(terminals.all.map((t) => t.id)).toEqual(['kept']);
	});
});
