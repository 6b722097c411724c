import { describe, expect, it } from 'vitest';
import type { TerminalConfig } from './driver';
import { createDriver } from './registry';

const simulated: TerminalConfig = {
	id: 'sim-x',
	name: 'Simulated terminal',
	rail: 'simulated',
	currency: 'USD',
	params: { scenario: 'approve' }
};

describe('createDriver', () => {
	it('makes the simulated terminal only in demo mode: elsewhere it would fake card payments', async () => {
		await expect(createDriver(simulated)).rejects.toThrow(/only in demo mode/);
		await expect(createDriver(simulated, { demo: false })).rejects.toThrow(/only in demo mode/);
		const items = new Map<string, string>();
		(globalThis as { localStorage?: unknown }).localStorage = {
			getItem: (key: string) => items.get(key) ?? null,
			setItem: (key: string, value: string) => void items.set(key, value),
			removeItem: (key: string) => void items.delete(key)
		};
		const driver = await createDriver(simulated, { demo: true });
		delete (globalThis as { localStorage?: unknown }).localStorage;
		expect(driver.rail).toBe('simulated');
	});
});
