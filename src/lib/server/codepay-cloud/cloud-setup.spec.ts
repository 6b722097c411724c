import { describe, expect, it, vi } from 'vitest';
import type { TerminalConfig } from '$lib/terminals/driver';
import type { Store } from '../store/types';
import { setUpCloudRail } from './cloud-setup';

const cloudTerminal: TerminalConfig = {
	id: 'cloud-1',
	name: 'Cloud',
	rail: 'codepay-cloud',
	currency: 'USD',
	params: { terminalSn: 'SN1' }
};

describe('setting up the cloud rail', () => {
	// Neither case gets as far as the store.
	const store = {} as Store;

	it('without CODEPAY_* the server runs on and the rail says what is missing', () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const setup = setUpCloudRail({ env: {}, store, terminals: [cloudTerminal] });
		expect(setup).toMatchObject({ configured: false });
		if (!setup.configured) {
			expect(setup.missing).toEqual([
				'CODEPAY_GATEWAY_URL',
				'CODEPAY_APP_ID',
				'CODEPAY_MERCHANT_NO',
				'CODEPAY_MERCHANT_PRIVATE_KEY (or _FILE)',
				'CODEPAY_GATEWAY_PUBLIC_KEY (or _FILE)'
			]);
		}
		expect(warn.mock.calls.join(' ')).toContain('not configured');
		warn.mockRestore();
	});

	it('a key that does not load leaves the rail unconfigured, naming the variable, not the key', () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const setup = setUpCloudRail({
			env: {
				CODEPAY_GATEWAY_URL: 'http://127.0.0.1:35780/api/entry',
				CODEPAY_APP_ID: 'app',
				CODEPAY_MERCHANT_NO: '1',
				CODEPAY_MERCHANT_PRIVATE_KEY: 'bm90IGEga2V5IGF0IGFsbA==',
				CODEPAY_GATEWAY_PUBLIC_KEY: 'bm90IGEga2V5IGVpdGhlcg=='
			},
			store,
			terminals: [cloudTerminal]
		});
		expect(setup.configured).toBe(false);
		if (!setup.configured)
			expect(setup.missing[0]).toMatch(/^CODEPAY_MERCHANT_PRIVATE_KEY could not/);
		expect(error.mock.calls.join(' ')).not.toContain('bm90IGEga2V5');
		error.mockRestore();
	});
});
