import { afterEach, describe, expect, it } from 'vitest';
import { createHaojinSimulator } from './simulator';
import type { TerminalConfig } from '../driver';
import { GrantedPort, formatUsbIds, usbIdsFromParams, usbIdsOf } from './granted-port';
import { HaojinUsbDriver } from './haojin-driver';
import { SimulatedSerial } from './simulated-serial';

const drivers: HaojinUsbDriver[] = [];
afterEach(async () => {
	await Promise.all(drivers.splice(0).map((d) => d.disconnect()));
});

const config: TerminalConfig = {
	id: 'hj-1',
	name: 'Counter 1',
	rail: 'haojin-usb',
	currency: 'HKD',
	params: {}
};

function waitFor(check: () => boolean, ms = 3000): Promise<void> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const poll = (): void => {
			if (check()) return resolve();
			if (Date.now() - started > ms) return reject(new Error('timed out waiting'));
			setTimeout(poll, 5);
		};
		poll();
	});
}

async function granted(cardMs = 20) {
	const simulator = createHaojinSimulator({ cardMs });
	const serial = new SimulatedSerial(simulator);
	const chosen = await serial.requestPort();
	const ids = usbIdsOf(chosen);
	if (!ids) throw new Error('the simulated port has USB ids');
	const driver = new HaojinUsbDriver(config, { port: async () => new GrantedPort(serial, ids) });
	drivers.push(driver);
	return { simulator, serial, ids, driver };
}

describe('the USB ids saved in params', () => {
	it('are read back only when both are valid', () => {
		expect(usbIdsFromParams({ usbVendorId: 0x1a86, usbProductId: 0x7523 })).toEqual({
			usbVendorId: 0x1a86,
			usbProductId: 0x7523
		});
		expect(usbIdsFromParams({ usbVendorId: 0x1a86 })).toBeUndefined();
		expect(usbIdsFromParams({ usbVendorId: '6790', usbProductId: 1 })).toBeUndefined();
		expect(formatUsbIds({ usbVendorId: 0x1a86, usbProductId: 0x7523 })).toBe('USB 1a86:7523');
	});
});

describe('GrantedPort', () => {
	it('opens the granted terminal without asking again and takes a sale', async () => {
		const { simulator, driver } = await granted();
		await driver.connect();
		const outcome = await driver.sale({
			merchantOrderNo: 'ORD-1',
			amount: 500,
			tip: 0,
			currency: 'HKD'
		});
		expect(outcome.status).toBe('approved');
		expect(simulator.log).toHaveLength(1);
	});

	it('says plainly when the chosen device is not among the granted ports', async () => {
		const simulator = createHaojinSimulator();
		const serial = new SimulatedSerial(simulator); // never granted
		const port = new GrantedPort(serial, { usbVendorId: 0x1a86, usbProductId: 0x7523 });
		const driver = new HaojinUsbDriver(config, { port });
		drivers.push(driver);
		await expect(driver.connect()).rejects.toThrow(/not plugged in.*Settings/);
	});

	it('ignores a granted port of another device', async () => {
		const { serial } = await granted();
		const other = new GrantedPort(serial, { usbVendorId: 0x0403, usbProductId: 0x6001 });
		expect(await other.find()).toBeUndefined();
	});

	it('reopens by itself after an unplug mid-sale and settles the sale with a query', async () => {
		const { simulator, driver } = await granted(200);
		const results: string[] = [];
		driver.on((event) => {
			if (event.type === 'result') results.push(`${event.merchantOrderNo}:${event.outcome.status}`);
		});
		await driver.connect();
		simulator.faults.unplugMidSale = true;
		await expect(
			driver.sale({ merchantOrderNo: 'ORD-2', amount: 500, tip: 0, currency: 'HKD' })
		).rejects.toMatchObject({ code: 'connection_lost', mayHaveReachedTerminal: true });
		expect(driver.status()).toBe('reconnecting');

		await simulator.idle();
		simulator.plug();
		await waitFor(() => results.length > 0);
		expect(results).toEqual(['ORD-2:approved']);
		expect(driver.status()).toBe('ready');
		expect(simulator.requests.map((r) => r.funcType)).toEqual([1001, 4001]);
		expect(simulator.log.filter((t) => t.kind === 'sale')).toHaveLength(1);
	});

	it('follows the device when the browser hands back a new port object after a replug', async () => {
		const simulator = createHaojinSimulator({ cardMs: 20 });
		let serial = new SimulatedSerial(simulator, { granted: true });
		const facade = {
			getPorts: () => serial.getPorts(),
			requestPort: () => serial.requestPort(),
			addEventListener: (type: 'connect' | 'disconnect', listener: () => void) =>
				serial.addEventListener(type, listener),
			removeEventListener: () => undefined
		};
		const port = new GrantedPort(facade, { usbVendorId: 0x1a86, usbProductId: 0x7523 });
		const driver = new HaojinUsbDriver(config, { port });
		drivers.push(driver);
		await driver.connect();
		simulator.unplug();
		await waitFor(() => driver.status() === 'reconnecting');
		const connected = new Promise<void>((resolve) => port.addEventListener('connect', resolve));
		// From now on `getPorts()` answers with a different object for the same device.
		serial = new SimulatedSerial(simulator, { granted: true });
		simulator.plug();
		await connected;
		await waitFor(() => driver.status() === 'ready');
		expect(serial.port.opens).toBe(1);
		const outcome = await driver.sale({
			merchantOrderNo: 'ORD-3',
			amount: 100,
			tip: 0,
			currency: 'HKD'
		});
		expect(outcome.status).toBe('approved');
	});
});
