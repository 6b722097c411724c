/**
 * CSV as RFC 4180 writes it, pure: fields separated by commas, quoted with `"` when they hold a
 * comma, a quote or a line break (a quote inside doubled), records ended by CRLF or LF. A leading
 * BOM is dropped. NUL and lone surrogates are refused: the store cannot keep them.
 */

export interface CsvRecord {
	/** The line (1-based) where the record starts, as an editor shows it. */
	line: number;
	fields: string[];
}

export type CsvParse =
	{ ok: true; records: CsvRecord[] } | { ok: false; line: number; reason: string };

// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNCLEAN = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function parseCsv(input: string): CsvParse {
	const text = input.startsWith('\ufeff') ? input.slice(1) : input;
	const unclean = UNCLEAN.exec(text);
	if (unclean) {
		const line = lineAt(text, unclean.index);
		const what = unclean[0] === '\u0000' ? 'a NUL character' : 'text that is not valid Unicode';
		return { ok: false, line, reason: `holds ${what}` };
	}
	const records: CsvRecord[] = [];
	let fields: string[] = [];
	let field = '';
	let line = 1;
	let start = 1;
	let quoted = false;
	let i = 0;
	const endRecord = () => {
		fields.push(field);
		// A blank line is no record.
		if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
		fields = [];
		field = '';
	};
	while (i < text.length) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i += 2;
					continue;
				}
				quoted = false;
				i++;
				const next = text[i];
				if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
					return { ok: false, line, reason: 'has text after a closing quote' };
				}
				continue;
			}
			if (c === '\n') line++;
			field += c;
			i++;
			continue;
		}
		if (c === '"') {
			if (field !== '') return { ok: false, line, reason: 'has a quote inside an unquoted field' };
			quoted = true;
			i++;
		} else if (c === ',') {
			fields.push(field);
			field = '';
			i++;
		} else if (c === '\r' || c === '\n') {
			endRecord();
			i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
			line++;
			start = line;
		} else {
			field += c;
			i++;
		}
	}
	if (quoted) return { ok: false, line: start, reason: 'has a quoted field that never ends' };
	if (field !== '' || fields.length > 0) endRecord();
	return { ok: true, records };
}

function lineAt(text: string, index: number): number {
	let line = 1;
	for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
	return line;
}

/** One field as CSV: quoted only when it must be. */
export function csvField(value: string): string {
	return /[",\r\n]/.test(value) || value.startsWith(' ') || value.endsWith(' ')
		? `"${value.replaceAll('"', '""')}"`
		: value;
}

/** Records as CSV text, CRLF after each (RFC 4180). */
export function toCsv(rows: readonly (readonly string[])[]): string {
	return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}
