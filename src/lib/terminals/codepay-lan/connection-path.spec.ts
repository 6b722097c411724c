import { describe, expect, it } from 'vitest';
import { addressSpace } from './address-space';
import {
	LNA_POLICY,
	connectionMode,
	type LocalNetworkAccess,
	type LocalNetworkPermission
} from './connection-path';

const target = { terminalId: 'till 1', host: '192.168.1.20', port: 35779 };
const RELAY = 'wss://pos.shop.example/api/terminals/relay?terminal=till%201';
const access = (permission: LocalNetworkPermission, directWorked = false): LocalNetworkAccess => ({
	permission,
	directWorked
});

describe('address space', () => {
	it.each([
		['localhost', 'loopback'],
		['till.localhost', 'loopback'],
		['127.0.0.1', 'loopback'],
		['[::1]', 'loopback'],
		['10.77.0.2', 'local'],
		['172.16.0.1', 'local'],
		['172.31.255.255', 'local'],
		['192.168.1.20', 'local'],
		['169.254.3.4', 'local'],
		['100.64.0.1', 'local'],
		['fd12:3456::1', 'local'],
		['[fe80::1]', 'local'],
		['::ffff:192.168.0.9', 'local'],
		['terminal.local', 'local'],
		['172.32.0.1', 'public'],
		['8.8.8.8', 'public'],
		['2001:db8::1', 'public'],
		['0.0.0.0', 'unknown'],
		['pos.shop.example', 'unknown'],
		['300.1.1.1', 'unknown']
	])('%s is %s', (host, space) => {
		expect(addressSpace(host)).toBe(space);
	});
});

describe('connection path', () => {
	it('connects directly from http pages and outside a browser', () => {
		expect(connectionMode('http://localhost:5173/pos', target)).toMatchObject({
			mode: 'direct',
			url: 'ws://192.168.1.20:35779',
			reason: 'not_https'
		});
		expect(connectionMode('http://192.168.1.5:3000/', target).mode).toBe('direct');
		expect(connectionMode(undefined, target).mode).toBe('direct');
	});

	it('allows a loopback terminal from https, whatever the browser', () => {
		for (const permission of ['unsupported', 'denied', 'prompt'] as const) {
			expect(
				connectionMode('https://pos.example/', { ...target, host: '127.0.0.1' }, access(permission))
					.mode
			).toBe('direct');
		}
	});

	it('relays from https in a browser without Local Network Access (Safari, Firefox, WebView)', () => {
		for (const page of ['https://pos.shop.example/checkout', 'https://192.168.1.5/']) {
			const mode = connectionMode(page, target, access('unsupported'));
			expect(mode).toMatchObject({
				mode: 'relay',
				reason: 'no_local_network_access',
				canAsk: false
			});
			expect(mode.why).toMatch(/mixed content/);
		}
		// No access given: the same (Node, or a caller that has not read it).
		expect(connectionMode('https://pos.shop.example/checkout', target)).toMatchObject({
			mode: 'relay',
			url: RELAY
		});
	});

	it('connects directly once the permission is granted', () => {
		const mode = connectionMode('https://pos.shop.example/', target, access('granted'));
		expect(mode).toMatchObject({
			mode: 'direct',
			url: 'ws://192.168.1.20:35779',
			reason: 'granted'
		});
	});

	it('connects directly with no prompt from a page served from a private address', () => {
		for (const page of ['https://192.168.1.5:3443/', 'https://10.0.0.2/', 'https://pos.local/']) {
			expect(connectionMode(page, target, access('prompt'))).toMatchObject({
				mode: 'direct',
				reason: 'private_page',
				canAsk: false
			});
		}
	});

	it('relays from a public page until a tap asks, and offers the tap', () => {
		const mode = connectionMode('https://pos.shop.example/', target, access('prompt'));
		expect(mode).toMatchObject({ mode: 'relay', url: RELAY, reason: 'ask', canAsk: true });
		expect(mode.why).toContain(LNA_POLICY);
	});

	it('connects directly from a named page once a direct socket opened without a prompt', () => {
		expect(connectionMode('https://pos.shop.lan/', target, access('prompt', true))).toMatchObject({
			mode: 'direct',
			reason: 'direct_worked'
		});
	});

	it('relays when the permission is refused, and says how to allow it', () => {
		for (const page of ['https://pos.shop.example/', 'https://192.168.1.5/']) {
			const mode = connectionMode(page, target, access('denied', true));
			expect(mode).toMatchObject({ mode: 'relay', reason: 'denied', canAsk: false });
			expect(mode.why).toContain(LNA_POLICY);
		}
	});

	it('relays to a terminal named by a DNS name or a public address (mixed content in Chrome too)', () => {
		for (const host of ['terminal.shop.lan', '8.8.8.8', '0.0.0.0']) {
			expect(
				connectionMode('https://pos.shop.example/', { ...target, host }, access('granted'))
			).toMatchObject({ mode: 'relay', reason: 'not_private_target' });
		}
		// `.local` names are private to Chrome.
		expect(
			connectionMode(
				'https://pos.shop.example/',
				{ ...target, host: 'till.local' },
				access('granted')
			).mode
		).toBe('direct');
	});

	it('relays where the server wants every refund vetted, whatever the browser allows', () => {
		const mode = connectionMode(
			'https://192.168.1.5/',
			{ ...target, relayOnly: true },
			access('granted')
		);
		expect(mode).toMatchObject({ mode: 'relay', reason: 'relay_only', canAsk: false });
	});

	it('uses the relay address the settings name', () => {
		const mode = connectionMode(
			'https://pos.shop.example/',
			{ ...target, relayUrl: 'wss://relay.lan/x' },
			access('granted')
		);
		expect(mode).toMatchObject({
			mode: 'relay',
			url: 'wss://relay.lan/x',
			reason: 'relay_configured'
		});
	});
});
