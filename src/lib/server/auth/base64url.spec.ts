import { describe, expect, it } from 'vitest';
import { decodeBase64url } from './base64url';

describe('strict base64url', () => {
	it('decodes the canonical spelling', () => {
		const bytes = Buffer.from([0xfb, 0xff, 0x01, 0x02]);
		expect(decodeBase64url(bytes.toString('base64url'))).toEqual(bytes);
		expect(decodeBase64url('')).toEqual(Buffer.alloc(0));
	});

	it('refuses padding, +/, stray characters, non-zero trailing bits and impossible lengths', () => {
		// All of these are what Node's own decoder turns into the bytes above or near them.
		for (const text of ['-_8BAg==', '+/8BAg', '-_8B Ag', '-_8BAh', '-_8BA', '-_8B.Ag', 'QQ=']) {
			expect(decodeBase64url(text), text).toBeNull();
		}
	});
});
