import Dexie from 'dexie';
import { afterAll, describe, expect, it } from 'vitest';
import type { TerminalConfig } from '../driver';
import { DEFAULT_POS_KEY } from './cipher';
import { createHaojinUsbDriver } from './create-driver';
import { PosKeyStore } from './key-store';

const name = `keys-${crypto.randomUUID()}`;
const keys = new PosKeyStore(name);
afterAll(async () => {
	keys.close();
	await Dexie.delete(name);
});

const config = (params: TerminalConfig['params'] = {}): TerminalConfig => ({
	id: 'hj-1',
	name: 'Counter 1',
	rail: 'haojin-usb',
	currency: 'HKD',
	params
});

describe('createHaojinUsbDriver', () => {
	it('asks for the POS-KEY by the terminal’s name when this device has none', async () => {
		await expect(createHaojinUsbDriver(config(), keys)).rejects.toThrow(
			'Enter the POS-KEY for Counter 1 in Settings.'
		);
	});

	it('does not take a POS-KEY from the synced params instead', async () => {
		await expect(
			createHaojinUsbDriver(config({ posKey: DEFAULT_POS_KEY, simulator: true }), keys)
		).rejects.toThrow(/Enter the POS-KEY/);
	});

	it('says where Web Serial is missing (here: no browser at all)', async () => {
		await keys.save('hj-1', DEFAULT_POS_KEY, 'ascii256');
		await expect(createHaojinUsbDriver(config(), keys)).rejects.toMatchObject({
			code: 'unsupported'
		});
	});

	it('reaches the demo’s simulated terminal with the stored key', async () => {
		await keys.save('hj-1', DEFAULT_POS_KEY, 'ascii256');
		const driver = await createHaojinUsbDriver(
			config({ simulator: true, usbVendorId: 0x1a86, usbProductId: 0x7523 }),
			keys,
			{ demo: true }
		);
		await driver.connect();
		expect(driver.status()).toBe('ready');
		await driver.disconnect();
	});

	it('refuses the simulated terminal outside demo mode, whatever the settings say', async () => {
		await keys.save('hj-1', DEFAULT_POS_KEY, 'ascii256');
		await expect(
			createHaojinUsbDriver(config({ simulator: true }), keys, { demo: false })
		).rejects.toMatchObject({ code: 'unsupported', message: /only in demo mode/ });
	});
});
