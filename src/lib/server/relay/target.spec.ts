import { describe, expect, it } from 'vitest';
import { resolveRelayTarget } from './target';

const lan = (id: string, params: Record<string, string | number | boolean>) => ({
	id,
	rail: 'codepay-lan' as const,
	currency: 'USD',
	params
});

describe('resolveRelayTarget', () => {
	const terminals = [
		lan('till-1', { host: '192.168.1.50', port: 35779, appId: 'A' }),
		lan('till-2', { host: 'terminal.shop.lan', appId: 'A' }),
		lan('till-6', { host: 'fe80::1', port: '40000', appId: 'A' }),
		{
			id: 'cloud',
			rail: 'codepay-cloud' as const,
			currency: 'USD',
			params: { host: '192.168.1.51' }
		},
		lan('bad-host', { host: 'evil.example/path?x=1', appId: 'A' }),
		lan('creds', { host: 'user@10.0.0.1', appId: 'A' }),
		lan('no-host', { appId: 'A' })
	];

	it('gives the configured address of a codepay-lan terminal', () => {
		expect(resolveRelayTarget(terminals, 'till-1')).toEqual({
			ok: true,
			target: {
				terminalId: 'till-1',
				host: '192.168.1.50',
				port: 35779,
				url: 'ws://192.168.1.50:35779',
				currency: 'USD',
				requireTerminalAuth: false
			}
		});
	});

	it('defaults the port to 35779 (NOTES.md §1) and brackets IPv6 literals', () => {
		const byName = resolveRelayTarget(terminals, 'till-2');
		expect(byName.ok && byName.target.url).toBe('ws://terminal.shop.lan:35779');
		const v6 = resolveRelayTarget(terminals, 'till-6');
		expect(v6.ok && v6.target.url).toBe('ws://[fe80::1]:40000');
	});

	it('refuses unknown ids, other rails and configured addresses that are not plain hosts', () => {
		for (const id of ['nope', 'cloud', 'bad-host', 'creds', 'no-host', '', null, undefined]) {
			expect(resolveRelayTarget(terminals, id).ok, String(id)).toBe(false);
		}
	});
});
