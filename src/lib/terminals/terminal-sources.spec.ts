import { describe, expect, it } from 'vitest';
import type { TerminalConfig } from './driver';
import {
	hasDeviceSettings,
	localEntryToKeep,
	TerminalNotAllowedError,
	usableTerminals
} from './terminal-sources';

const lan: TerminalConfig = {
	id: 'codepay-1',
	name: 'Counter',
	rail: 'codepay-lan',
	currency: 'USD',
	params: { host: '192.168.1.20', port: 35779, appId: 'APP', requireTerminalAuth: true }
};
const usb: TerminalConfig = {
	id: 'hj-1',
	name: 'USB',
	rail: 'haojin-usb',
	currency: 'HKD',
	params: { baudRate: 9600 }
};
const fake: TerminalConfig = {
	id: 't-fake',
	name: 'My terminal',
	rail: 'simulated',
	currency: 'USD',
	params: { scenario: 'approve' }
};

describe('usableTerminals outside demo mode', () => {
	it('offers only the server’s terminals: one added on the till is not there', () => {
		const all = usableTerminals([lan], [fake], false);
		expect(all.map((t) => t.id)).toEqual(['codepay-1']);
	});

	it('ignores a till’s override of where a terminal is or how it is reached', () => {
		const override: TerminalConfig = {
			...lan,
			params: { host: '10.6.6.6', relayUrl: 'wss://evil.example', requireTerminalAuth: false }
		};
		const [terminal] = usableTerminals([lan], [override], false);
		expect(terminal?.params).toEqual(lan.params);
		expect(terminal?.provisioned).toBe(true);
	});

	it('keeps what is the device’s own: the USB port of its terminal', () => {
		const chosen: TerminalConfig = {
			...usb,
			params: { usbVendorId: 0x1a86, usbProductId: 0x7523, baudRate: 115200 }
		};
		const [terminal] = usableTerminals([usb], [chosen], false);
		expect(terminal?.params).toEqual({ baudRate: 9600, usbVendorId: 0x1a86, usbProductId: 0x7523 });
	});
});

describe('usableTerminals in demo mode', () => {
	it('adds the till’s own terminals and its settings over the server’s', () => {
		const all = usableTerminals([lan], [fake, { ...lan, params: { host: '127.0.0.1' } }], true);
		expect(all.map((t) => [t.id, t.provisioned])).toEqual([
			['codepay-1', true],
			['t-fake', false]
		]);
		expect(all[0]?.params.host).toBe('127.0.0.1');
	});
});

describe('localEntryToKeep', () => {
	it('refuses a terminal the server does not know, outside demo mode', () => {
		expect(() => localEntryToKeep(fake, [lan], false)).toThrow(TerminalNotAllowedError);
		expect(localEntryToKeep(fake, [lan], true)).toBe(fake);
	});

	it('keeps only device-local params of a provisioned terminal', () => {
		const saved = localEntryToKeep(
			{ ...usb, name: 'Renamed', params: { usbVendorId: 1, usbProductId: 2, baudRate: 1 } },
			[usb],
			false
		);
		expect(saved).toEqual({ ...usb, params: { usbVendorId: 1, usbProductId: 2 } });
	});
});

describe('hasDeviceSettings', () => {
	it('is true only where a till has a setting of its own (its USB port)', () => {
		expect(hasDeviceSettings('haojin-usb')).toBe(true);
		expect(hasDeviceSettings('codepay-lan')).toBe(false);
	});
});
