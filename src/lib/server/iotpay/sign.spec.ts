/**
 * Known answers for the IOT Pay signature (NOTES.md §4). The expected strings are written out by
 * hand and their MD5 taken by the system's `openssl`, not by the code under test.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sign, stringToSign, verifySign } from './sign';

/** MD5 by the `openssl` command, uppercase hex. */
function opensslMd5(text: string): string {
	const out = execFileSync('openssl', ['dgst', '-md5', '-r'], { input: Buffer.from(text, 'utf8') });
	return out.toString('ascii').split(' ')[0]!.toUpperCase();
}

// The request example of iotpay-pos-semi-integration.zh.txt (参数示例), its sign left out.
const example = {
	amount: '1',
	body: 'IOTPay',
	channelId: 'CC_PAX',
	clientIp: '192.168.50.186',
	currency: 'CAD',
	device: 'V1-B25',
	extra: '{"pos_flag":"yes","productId":"10000576_null"}',
	jobNo: 'testpax',
	mchId: '10000576',
	mchOrderNo: '1632349674730',
	notifyUrl: 'http://localhost',
	source: 'pos_2.1.54',
	subject: 'IOTPay',
	tip: '0'
};
const KEY = 'K3yForTests0123456789abcdefABCDEF';

describe('IOT Pay signing', () => {
	it('signs the vendor example as sorted k=v pairs with &key= appended', () => {
		const expected =
			'amount=1&body=IOTPay&channelId=CC_PAX&clientIp=192.168.50.186&currency=CAD' +
			'&device=V1-B25&extra={"pos_flag":"yes","productId":"10000576_null"}&jobNo=testpax' +
			'&mchId=10000576&mchOrderNo=1632349674730&notifyUrl=http://localhost&source=pos_2.1.54' +
			`&subject=IOTPay&tip=0&key=${KEY}`;
		expect(stringToSign(example, KEY)).toBe(expected);
		expect(sign(example, KEY)).toBe(opensslMd5(expected));
		expect(sign(example, KEY)).toMatch(/^[0-9A-F]{32}$/);
	});

	it('drops empty values and sign itself, and sorts case-sensitively (uppercase first)', () => {
		const fields = { b: '2', a: '1', Z: 'z', empty: '', sign: 'ABC', remarks: undefined };
		const expected = 'Z=z&a=1&b=2&key=k';
		expect(stringToSign(fields, 'k')).toBe(expected);
		expect(sign(fields, 'k')).toBe(opensslMd5(expected));
	});

	it('signs numbers as their text and non-ASCII as UTF-8', () => {
		const fields = { amount: 2865, subject: 'Café 咖啡' };
		const expected = 'amount=2865&subject=Café 咖啡&key=k';
		expect(sign(fields, 'k')).toBe(opensslMd5(expected));
	});

	it('verifies a signature, in either case, and refuses a changed field or key', () => {
		const signed = { ...example, sign: opensslMd5(stringToSign(example, KEY)) };
		expect(verifySign(signed, KEY)).toBe(true);
		expect(verifySign({ ...signed, sign: signed.sign.toLowerCase() }, KEY)).toBe(true);
		expect(verifySign({ ...signed, amount: '2' }, KEY)).toBe(false);
		expect(verifySign(signed, 'another-key')).toBe(false);
		expect(verifySign({ ...example }, KEY)).toBe(false);
		expect(verifySign({ ...example, sign: 'not-hex' }, KEY)).toBe(false);
	});
});
