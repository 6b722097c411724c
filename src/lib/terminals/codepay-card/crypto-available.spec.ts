import { describe, expect, it } from 'vitest';
import { cardEntryUnavailableReason } from './crypto-available';

describe('card entry needs WebCrypto', () => {
	it('runs in a secure context with crypto.subtle', () => {
		expect(
			cardEntryUnavailableReason({ isSecureContext: true, crypto: { subtle: {} } })
		).toBeNull();
	});
	it('says why where crypto.subtle is missing (plain http, not localhost)', () => {
		expect(cardEntryUnavailableReason({ isSecureContext: false, crypto: {} })).toMatch(
			/unavailable.*https or localhost/
		);
		expect(cardEntryUnavailableReason({ crypto: {} })).toMatch(/unavailable/);
	});
});
