import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { encodeBody, wireAmount } from './wire';

const md5 = (text: string) =>
	execFileSync('openssl', ['dgst', '-md5', '-r'], { input: text })
		.toString()
		.split(' ')[0]!
		.toUpperCase();

const fields = { mchId: '10000576', amount: '2865', remarks: '', channelId: 'CC_PAX' };
const expectedSign = md5('amount=2865&channelId=CC_PAX&mchId=10000576&key=k');

describe('IOT Pay request bodies', () => {
	it('sends params=<json> by default, every value a string, empty ones dropped', () => {
		const body = new URLSearchParams(encodeBody(fields, 'k', 'params'));
		expect([...body.keys()]).toEqual(['params']);
		expect(JSON.parse(body.get('params')!)).toEqual({
			mchId: '10000576',
			amount: '2865',
			channelId: 'CC_PAX',
			sign: expectedSign
		});
	});

	it('sends separate form fields when set to', () => {
		const body = new URLSearchParams(encodeBody(fields, 'k', 'fields'));
		expect(Object.fromEntries(body)).toEqual({
			mchId: '10000576',
			amount: '2865',
			channelId: 'CC_PAX',
			sign: expectedSign
		});
	});

	it('writes amounts as whole cents', () => {
		expect(wireAmount(2865)).toBe('2865');
		expect(wireAmount(0)).toBe('0');
		expect(() => wireAmount(28.65)).toThrow(RangeError);
		expect(() => wireAmount(-1)).toThrow(RangeError);
	});
});
