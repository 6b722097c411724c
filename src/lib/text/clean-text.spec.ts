import { describe, expect, it } from 'vitest';
import { cleanString, cleanText, findUncleanText, isCleanText } from './clean-text';

describe('clean text', () => {
	it('accepts ordinary text, emoji and CJK, and refuses NUL and lone surrogates', () => {
		for (const ok of ['', 'Approved', '交易成功', 'café ☕', '\ud83d\ude00']) {
			expect(isCleanText(ok)).toBe(true);
		}
		for (const bad of ['a\u0000b', '\ud800', '\udc00', 'x\ud83dy', '\ude00\ud83d']) {
			expect(isCleanText(bad)).toBe(false);
		}
	});

	it('cleans a terminal text into something storable, keeping what can be read', () => {
		expect(cleanText('DECL\u0000INED')).toBe('DECLINED');
		expect(cleanText('bad \ud800 byte')).toBe('bad \ufffd byte');
		expect(cleanText('\ud83d\ude00 ok')).toBe('\ud83d\ude00 ok');
		expect(isCleanText(cleanText('\udc00\u0000\ud800'))).toBe(true);
	});

	it('is a zod string for schemas at the edge', () => {
		expect(cleanString().safeParse('Till 1').success).toBe(true);
		expect(cleanString().safeParse('Till\u00001').success).toBe(false);
	});

	it('finds the first unclean string or key in parsed JSON, and refuses deep nesting', () => {
		expect(findUncleanText({ a: [1, 'ok', { b: 'fine' }] })).toBeNull();
		expect(findUncleanText({ a: [1, { b: 'x\u0000' }] })).toEqual({
			path: 'a.1.b',
			reason: 'text'
		});
		expect(findUncleanText({ ['k\ud800']: 1 })).toEqual({ path: 'k\ud800', reason: 'text' });
		let deep: unknown = 'leaf';
		for (let i = 0; i < 5000; i++) deep = [deep];
		expect(findUncleanText(deep)?.reason).toBe('depth');
	});
});
