/**
 * The terminal's reading of a decrypted request: `{content:{k1=v1,k2='v2'}, digest:'<MD5>'}`
 * (NOTES.md §3). Written independently of the POS's `envelope.ts` so the two check each other.
 */
import SparkMD5 from 'spark-md5';

export interface FieldValue {
	text: string;
	quoted: boolean;
}

export interface ParsedRequest {
	/** The `{...}` content exactly as received: what the digest covers. */
	formatted: string;
	digest: string;
	fields: Record<string, FieldValue>;
}

const ENVELOPE = /^\{content:(\{[^{}]*\}), digest:'([0-9A-Fa-f]{32})'\}$/;
const FIELD = /^([A-Za-z0-9_]+)=(?:'([^']*)'|(-?\d+(?:\.\d+)?))$/;

export function parseRequestText(text: string): ParsedRequest | undefined {
	const match = ENVELOPE.exec(text.trim());
	if (!match) return undefined;
	const formatted = match[1] ?? '';
	const inner = formatted.slice(1, -1);
	const fields: Record<string, FieldValue> = {};
	if (inner !== '') {
		for (const part of inner.split(',')) {
			const field = FIELD.exec(part);
			if (!field) return undefined;
			const [, name, quoted, bare] = field;
			fields[name ?? ''] =
				quoted !== undefined ? { text: quoted, quoted: true } : { text: bare ?? '', quoted: false };
		}
	}
	return { formatted, digest: (match[2] ?? '').toUpperCase(), fields };
}

export function digestMatches(request: ParsedRequest, posKey: string): boolean {
	return SparkMD5.hash(request.formatted + posKey).toUpperCase() === request.digest;
}

/** Major-unit text ("10.1") → minor units with two decimals; `undefined` when not an amount. */
export function minorFromMajor(text: string): number | undefined {
	const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
	if (!match) return undefined;
	return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
