/**
 * Every driver announces an optional operation exactly when it has it: screens decide from the
 * flags (before a driver is even loaded), the journal calls the methods.
 */
import { describe, expect, it } from 'vitest';
import { CAPABILITY_OF, type OptionalOperation, type TerminalDriver } from './driver';
import { CodePayCardDriver } from './codepay-card/card-driver';
import { CodePayCloudDriver } from './codepay-cloud/cloud-driver';
import { CodePayLanDriver } from './codepay-lan/lan-driver';
import { PayByLinkDriver } from './codepay-link/link-driver';
import { railCarries } from './registry';
import { HaojinUsbDriver } from './haojin-usb/haojin-driver';
import { IotPayPaxDriver } from './iotpay-pax/iotpay-driver';
import { SimulatedTerminal } from './simulated/simulated-terminal';

function memoryStorage() {
	const items = new Map<string, string>();
	return {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value),
		removeItem: (key: string) => void items.delete(key)
	};
}

const drivers: [string, () => TerminalDriver][] = [
	[
		'Card entry',
		() =>
			new CodePayCardDriver({
				id: 'card',
				name: 'Card entry',
				rail: 'codepay-card',
				currency: 'USD',
				params: {}
			})
	],
	[
		'CodePay Register',
		() =>
			new CodePayLanDriver({
				id: 'lan',
				currency: 'USD',
				params: { host: '127.0.0.1', appId: 'APP', profile: 'codepay' }
			})
	],
	[
		'WiseCashier',
		() =>
			new CodePayLanDriver({
				id: 'wise',
				currency: 'USD',
				params: { host: '127.0.0.1', appId: 'APP', profile: 'wisecashier' }
			})
	],
	[
		'Haojin USB',
		() =>
			new HaojinUsbDriver(
				{ id: 'hj', name: 'Haojin', rail: 'haojin-usb', currency: 'HKD', params: {} },
				{ port: async () => undefined }
			)
	],
	[
		'Pay by link',
		() =>
			new PayByLinkDriver({
				id: 'link',
				name: 'Link',
				rail: 'codepay-link',
				currency: 'USD',
				params: {}
			})
	],
	[
		'CodePay cloud',
		() =>
			new CodePayCloudDriver({
				id: 'cloud',
				name: 'Cloud',
				rail: 'codepay-cloud',
				currency: 'USD',
				params: { terminalSn: 'WPYB002248000865' }
			})
	],
	[
		'IOT Pay (PAX)',
		() =>
			new IotPayPaxDriver({
				id: 'pax',
				name: 'PAX',
				rail: 'iotpay-pax',
				currency: 'CAD',
				params: { deviceName: 'V1', jobNo: 'job' }
			})
	],
	[
		'simulated',
		() =>
			new SimulatedTerminal(
				{
					id: 'sim',
					name: 'Sim',
					rail: 'simulated',
					currency: 'USD',
					params: { scenario: 'approve' }
				},
				{ storage: memoryStorage() }
			)
	]
];

describe.each(drivers)('the %s driver', (_, make) => {
	it('has each optional operation exactly when its capability says so', () => {
		const driver = make();
		for (const [operation, flag] of Object.entries(CAPABILITY_OF) as [
			OptionalOperation,
			keyof typeof driver.capabilities
		][]) {
			expect(typeof driver[operation] === 'function', `${operation} vs ${flag}`).toBe(
				driver.capabilities[flag] === true
			);
		}
	});

	it('carries cashback and fuel lines only on a rail whose sales may carry them', () => {
		const driver = make();
		for (const extra of ['cashback', 'fuelLines'] as const) {
			if (driver.capabilities[extra]) expect(railCarries(driver.rail, extra), extra).toBe(true);
		}
	});
});
