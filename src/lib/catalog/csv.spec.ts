import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csv';

const fields = (text: string) => {
	const parsed = parseCsv(text);
	if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.reason}`);
	return parsed.records.map((r) => [r.line, ...r.fields]);
};

describe('parseCsv', () => {
	it('reads quotes, commas and line breaks inside fields, CRLF and a BOM', () => {
		const text = '\ufeffsku,name\r\nA-1,"Latte, oat"\r\nA-2,"Say ""hi"""\r\nA-3,"two\r\nlines"\r\n';
		expect(fields(text)).toEqual([
			[1, 'sku', 'name'],
			[2, 'A-1', 'Latte, oat'],
			[3, 'A-2', 'Say "hi"'],
			[4, 'A-3', 'two\r\nlines']
		]);
	});

	it('numbers records by the line they start on, skipping blank lines', () => {
		expect(fields('a\n\n"b\nc"\nd')).toEqual([
			[1, 'a'],
			[3, 'b\nc'],
			[5, 'd']
		]);
	});

	it('refuses NUL, lone surrogates and broken quoting, naming the line', () => {
		expect(parseCsv('a\nb\u0000c')).toEqual({
			ok: false,
			line: 2,
			reason: 'holds a NUL character'
		});
		expect(parseCsv('a\n\ud800x')).toMatchObject({ ok: false, line: 2 });
		expect(parseCsv('a\n"open')).toMatchObject({ ok: false, line: 2 });
		expect(parseCsv('x"y"')).toMatchObject({ ok: false, line: 1 });
		expect(parseCsv('"a"b')).toMatchObject({ ok: false, line: 1 });
	});

	it('reads back whatever toCsv writes', () => {
		const text = fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\u0000'));
		fc.assert(
			fc.property(
				fc.array(fc.array(text, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
				(rows) => {
					const parsed = parseCsv(toCsv(rows));
					expect(parsed.ok).toBe(true);
					if (parsed.ok) expect(parsed.records.map((r) => r.fields)).toEqual(rows);
				}
			)
		);
	});
});
