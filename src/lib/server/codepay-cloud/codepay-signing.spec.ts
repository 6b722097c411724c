import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalString, toWireFields } from './canonical';
import { KeyFormatError, loadPrivateKey, loadPublicKey } from './keys';
import { rawTopLevelFields } from './raw-fields';
import { signRsa2, verifyRsa2 } from './rsa2';
import { TIMESTAMP_WINDOW_MS, withinWindow } from './timestamp';

let dir: string;
let privatePem: string;
let publicPem: string;

function openssl(args: string[], input?: string): Buffer {
	return execFileSync('openssl', args, { input, cwd: dir });
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'codepay-keys-'));
	// The key pair comes from openssl itself, so that our loader reads what the tool writes.
	openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'p8.pem']);
	openssl(['rsa', '-in', 'p8.pem', '-traditional', '-out', 'p1.pem']);
	openssl(['rsa', '-in', 'p8.pem', '-pubout', '-out', 'pub.pem']);
	openssl(['rsa', '-in', 'p8.pem', '-RSAPublicKey_out', '-out', 'pub1.pem']);
	openssl(['pkcs8', '-topk8', '-nocrypt', '-in', 'p8.pem', '-outform', 'DER', '-out', 'p8.der']);
	openssl(['rsa', '-in', 'p8.pem', '-traditional', '-outform', 'DER', '-out', 'p1.der']);
	openssl(['rsa', '-in', 'p8.pem', '-pubout', '-outform', 'DER', '-out', 'pub.der']);
	privatePem = readFileSync(join(dir, 'p8.pem'), 'utf8');
	publicPem = readFileSync(join(dir, 'pub.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (file: string) => readFileSync(join(dir, file)).toString('base64');

/** A request as a caller builds it: nested objects, numbers, Chinese text, empty values. */
const request = {
	app_id: 'wz6012822ca2f1as78',
	method: 'wisehub.cloud.pay.order',
	format: 'JSON',
	charset: 'UTF-8',
	sign_type: 'RSA2',
	version: '1.0',
	timestamp: '1709106082819',
	order_amount: 144.34,
	tip_amount: 30,
	trans_type: 1,
	on_screen_tip: false,
	description: '拿铁咖啡 大杯',
	attach: '',
	store_no: null,
	order_detail: { items: [{ name: '茶', qty: 2 }], note: 'a=b&c' }
};

describe('canonical string (NOTES.md §2)', () => {
	it('sorts keys by byte order, drops sign, null and empty values, serialises nested objects', () => {
		const wire = toWireFields({ ...request, sign: 'xyz' });
		expect(canonicalString(wire)).toBe(
			'app_id=wz6012822ca2f1as78&charset=UTF-8&description=拿铁咖啡 大杯&format=JSON' +
				'&method=wisehub.cloud.pay.order&on_screen_tip=false&order_amount=144.34' +
				'&order_detail={"items":[{"name":"茶","qty":2}],"note":"a=b&c"}' +
				'&sign_type=RSA2&timestamp=1709106082819&tip_amount=30&trans_type=1&version=1.0'
		);
	});

	it('orders by UTF-8 bytes, not by UTF-16 units or locale', () => {
		// U+1F600 is a surrogate pair (0xD83D...) and sorts before U+FF5E in UTF-16 units, after it in UTF-8.
		const keys = { '\u{1F600}': '1', '\uFF5E': '2', B: '3', a: '4', _: '5' };
		expect(canonicalString(keys)).toBe('B=3&_=5&a=4&\uFF5E=2&\u{1F600}=1');
	});

	it('reads the sent text of each top-level field of a response body', () => {
		const body = '{ "code":"0","n": 1.50 ,"data":{"a":"x,}","b":[1, 2]},"e":"","z":null,"t":true}';
		expect(rawTopLevelFields(body)).toEqual({
			code: '0',
			n: '1.50',
			data: '{"a":"x,}","b":[1, 2]}',
			e: '',
			z: null,
			t: 'true'
		});
		expect(rawTopLevelFields('[1]')).toBeNull();
	});
});

describe('RSA2 against openssl', () => {
	it('signs what openssl verifies, for every private key form', () => {
		const canonical = canonicalString(toWireFields(request));
		writeFileSync(join(dir, 'msg.txt'), canonical, 'utf8');
		const forms = [
			privatePem,
			readFileSync(join(dir, 'p1.pem'), 'utf8'),
			b64('p8.der'),
			b64('p1.der'),
			privatePem.replace(/\n/g, '\\n')
		];
		for (const form of forms) {
			const signature = signRsa2(canonical, loadPrivateKey(form));
			writeFileSync(join(dir, 'sig.bin'), Buffer.from(signature, 'base64'));
			const out = openssl([
				'dgst',
				'-sha256',
				'-verify',
				'pub.pem',
				'-signature',
				'sig.bin',
				'msg.txt'
			]).toString();
			expect(out.trim()).toBe('Verified OK');
		}
	});

	it('verifies what openssl signs, for every public key form, and nothing altered', () => {
		const canonical = canonicalString(toWireFields(request));
		writeFileSync(join(dir, 'msg.txt'), canonical, 'utf8');
		const signature = openssl(['dgst', '-sha256', '-sign', 'p8.pem', 'msg.txt']).toString('base64');
		const forms = [publicPem, readFileSync(join(dir, 'pub1.pem'), 'utf8'), b64('pub.der')];
		for (const form of forms) {
			const key = loadPublicKey(form);
			expect(verifyRsa2(canonical, signature, key)).toBe(true);
			expect(verifyRsa2(canonical.replace('144.34', '144.35'), signature, key)).toBe(false);
			expect(verifyRsa2(canonical, undefined, key)).toBe(false);
			expect(verifyRsa2(canonical, '', key)).toBe(false);
			expect(verifyRsa2(canonical, 'not base64!', key)).toBe(false);
		}
	});

	it('refuses keys that are not RSA2 keys', () => {
		const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
		expect(() =>
			loadPrivateKey(small.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
		).toThrow(KeyFormatError);
		const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		expect(() =>
			loadPublicKey(ec.publicKey.export({ type: 'spki', format: 'pem' }) as string)
		).toThrow(/not an RSA key/);
		expect(() => loadPublicKey(privatePem)).toThrow(/private key/);
		expect(() => loadPrivateKey('')).toThrow(/empty/);
		expect(() => loadPrivateKey('%%%')).toThrow(KeyFormatError);
	});
});

describe('timestamp window', () => {
	const now = 1_709_106_082_819;
	it('takes 13-digit timestamps up to 15 minutes either way, as string or number', () => {
		expect(withinWindow(String(now), now)).toBe(true);
		expect(withinWindow(now - TIMESTAMP_WINDOW_MS, now)).toBe(true);
		expect(withinWindow(String(now + TIMESTAMP_WINDOW_MS), now)).toBe(true);
		expect(withinWindow(String(now - TIMESTAMP_WINDOW_MS - 1), now)).toBe(false);
		expect(withinWindow(String(now + TIMESTAMP_WINDOW_MS + 1), now)).toBe(false);
		expect(withinWindow('170910608281', now)).toBe(false);
		expect(withinWindow(undefined, now)).toBe(false);
	});
});
