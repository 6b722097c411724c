import { createCipheriv, createDecipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_POS_KEY,
	IV_TEXT,
	PosKeyFormatError,
	decryptText,
	encryptText,
	keyBytes,
	keyFromText
} from './cipher';
import { decodeResponse, digestOf, encodeRequest, envelopeText, formatContent } from './envelope';

const nodeEncrypt = (algorithm: string, key: Buffer, text: string): string => {
	const cipher = createCipheriv(algorithm, key, Buffer.from(IV_TEXT, 'ascii'));
	return Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
};
const nodeDecrypt = (algorithm: string, key: Buffer, base64: string): string => {
	const decipher = createDecipheriv(algorithm, key, Buffer.from(IV_TEXT, 'ascii'));
	return Buffer.concat([decipher.update(Buffer.from(base64, 'base64')), decipher.final()]).toString(
		'utf8'
	);
};

describe('formatted content and digest (NOTES.md §3)', () => {
	it('matches the known answer for a 4001 query with the default POS-KEY', () => {
		const formatted = formatContent({ orderId: '12345678', func_type: 4001 });
		expect(formatted).toBe("{func_type=4001,orderId='12345678'}");
		expect(digestOf(formatted, DEFAULT_POS_KEY)).toBe('99CE8BF9C7304AC964522D10F51660B4');
	});

	it('sorts keys ascending, quotes strings, leaves numbers bare, sends null/empty as an empty string', () => {
		expect(
			formatContent({
				out_trade_no: '456799999999',
				func_type: 1001,
				channel: 'card_payment',
				amt: 10.1,
				memo: null,
				note: '',
				skipped: undefined
			})
		).toBe(
			"{amt=10.1,channel='card_payment',func_type=1001,memo='',note='',out_trade_no='456799999999'}"
		);
	});

	it('refuses values that would break the {k=v} text', () => {
		expect(() => formatContent({ orderId: "12'34" })).toThrow(RangeError);
		expect(() => formatContent({ orderId: 'a,b' })).toThrow(RangeError);
		expect(() => formatContent({ amt: Number.NaN })).toThrow(RangeError);
	});

	it('wraps content and digest into the encrypted text', () => {
		expect(envelopeText({ func_type: 4001, orderId: '12345678' }, DEFAULT_POS_KEY)).toBe(
			"{content:{func_type=4001,orderId='12345678'}, digest:'99CE8BF9C7304AC964522D10F51660B4'}"
		);
	});
});

describe('AES-CBC with the POS-KEY (compared with node:crypto)', () => {
	const plain = envelopeText({ func_type: 4001, orderId: '12345678' }, DEFAULT_POS_KEY);

	it('ascii256: the 32 key characters as an AES-256 key', async () => {
		const expected = nodeEncrypt('aes-256-cbc', Buffer.from(DEFAULT_POS_KEY, 'ascii'), plain);
		const key = await keyFromText(DEFAULT_POS_KEY, 'ascii256');
		expect(await encryptText(key, plain)).toBe(expected);
		expect(await decryptText(key, expected)).toBe(plain);
	});

	it('hex128: the hex-decoded key as an AES-128 key', async () => {
		const expected = nodeEncrypt('aes-128-cbc', Buffer.from(DEFAULT_POS_KEY, 'hex'), plain);
		const key = await keyFromText(DEFAULT_POS_KEY, 'hex128');
		expect(await encryptText(key, plain)).toBe(expected);
		expect(await decryptText(key, expected)).toBe(plain);
	});

	it('encodeRequest produces what the terminal (node:crypto here) decrypts to the envelope', async () => {
		const key = await keyFromText(DEFAULT_POS_KEY);
		const base64 = await encodeRequest(
			{ func_type: 4001, orderId: '12345678' },
			DEFAULT_POS_KEY,
			key
		);
		expect(nodeDecrypt('aes-256-cbc', Buffer.from(DEFAULT_POS_KEY, 'ascii'), base64)).toBe(plain);
	});

	it('imports a non-extractable key', async () => {
		const key = await keyFromText(DEFAULT_POS_KEY);
		expect(key.extractable).toBe(false);
		await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
	});

	it('explains a POS-KEY of the wrong shape', () => {
		expect(() => keyBytes('short', 'ascii256')).toThrow(PosKeyFormatError);
		expect(() => keyBytes('z'.repeat(32), 'hex128')).toThrow(/POS-KEY/);
		expect(keyBytes(DEFAULT_POS_KEY, 'hex128')).toHaveLength(16);
	});

	it('returns undefined for text another key encrypted', async () => {
		const other = nodeEncrypt('aes-256-cbc', Buffer.from('b'.repeat(32), 'ascii'), plain);
		const key = await keyFromText(DEFAULT_POS_KEY);
		// A fixed vector: here the wrong key fails the PKCS#7 check (a random key would ~255/256).
		expect(await decryptText(key, other)).toBeUndefined();
	});
});

describe('decodeResponse', () => {
	const body = {
		respcd: '6000',
		respmsg: 'success',
		resperr: '',
		data: JSON.stringify({ respcd: '0000', syssn: '2024001', out_trade_no: 'A1', txamt: 1010 })
	};

	it('accepts plain JSON with data as a JSON string', async () => {
		const key = await keyFromText(DEFAULT_POS_KEY);
		const result = await decodeResponse(JSON.stringify(body), key);
		expect(result).toMatchObject({
			ok: true,
			response: {
				respcd: '6000',
				encrypted: false,
				data: { respcd: '0000', syssn: '2024001', txamt: '1010' }
			}
		});
	});

	it('decrypts an encrypted response', async () => {
		const key = await keyFromText(DEFAULT_POS_KEY);
		const text = nodeEncrypt(
			'aes-256-cbc',
			Buffer.from(DEFAULT_POS_KEY, 'ascii'),
			JSON.stringify({ ...body, respcd: 6001, data: '' })
		);
		const result = await decodeResponse(text, key);
		expect(result).toMatchObject({ ok: true, response: { respcd: '6001', encrypted: true } });
		expect(result.ok && result.response.data).toBeUndefined();
	});

	it('reports unreadable data without losing the response code', async () => {
		const key = await keyFromText(DEFAULT_POS_KEY);
		const result = await decodeResponse(JSON.stringify({ ...body, data: '{"aaaaaa"}' }), key);
		expect(result).toMatchObject({ ok: true, response: { dataProblem: 'data is not JSON' } });
	});

	it('names the POS-KEY when the answer cannot be decrypted', async () => {
		const key = await keyFromText(DEFAULT_POS_KEY);
		const other = nodeEncrypt('aes-256-cbc', Buffer.from('b'.repeat(32)), JSON.stringify(body));
		const result = await decodeResponse(other, key);
		expect(result).toMatchObject({ ok: false, code: 'undecryptable' });
		expect(!result.ok && result.message).toMatch(/POS-KEY/);
	});

	it('types the other failures', async () => {
		const key = await keyFromText(DEFAULT_POS_KEY);
		expect(await decodeResponse('  ', key)).toMatchObject({ ok: false, code: 'empty' });
		expect(await decodeResponse('{"respmsg":"x"}', key)).toMatchObject({
			ok: false,
			code: 'schema'
		});
		const notJson = nodeEncrypt('aes-256-cbc', Buffer.from(DEFAULT_POS_KEY), 'hello');
		expect(await decodeResponse(notJson, key)).toMatchObject({ ok: false, code: 'not_json' });
	});

	it('never throws on any input, plain or encrypted (fuzz)', async () => {
		const key = await keyFromText(DEFAULT_POS_KEY);
		const json = fc.oneof(
			fc.json(),
			fc
				.record({
					respcd: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
					respmsg: fc.anything(),
					data: fc.oneof(fc.string(), fc.json(), fc.anything())
				})
				.map((v) => {
					try {
						return JSON.stringify(v) ?? '';
					} catch {
						return '';
					}
				})
		);
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.string(),
					json,
					fc.uint8Array().map((b) => Buffer.from(b).toString('base64')),
					json.map((t) => nodeEncrypt('aes-256-cbc', Buffer.from(DEFAULT_POS_KEY), t))
				),
				async (input) => {
					const result = await decodeResponse(input, key);
					if (result.ok) expect(typeof result.response.respcd).toBe('string');
					else expect(['empty', 'undecryptable', 'not_json', 'schema']).toContain(result.code);
				}
			),
			{ numRuns: 400 }
		);
	});
});
