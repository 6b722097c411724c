/**
 * The top-level fields of a JSON object as the text each was sent as, for verifying a signature
 * over what arrived rather than over our re-serialisation of it (NOTES.md §2: `data` is signed as
 * its JSON text, numbers as the exact text sent). Strings give their decoded value; numbers,
 * booleans, objects and arrays their raw text; null gives null. Pure; assumes `JSON.parse`
 * already accepted the text.
 */

export function rawTopLevelFields(text: string): Record<string, string | null> | null {
	let i = skipSpace(text, 0);
	if (text[i] !== '{') return null;
	i = skipSpace(text, i + 1);
	const out: Record<string, string | null> = {};
	if (text[i] === '}') return out;
	for (;;) {
		if (text[i] !== '"') return null;
		const keyEnd = endOfString(text, i);
		const key = JSON.parse(text.slice(i, keyEnd)) as string;
		i = skipSpace(text, keyEnd);
		if (text[i] !== ':') return null;
		i = skipSpace(text, i + 1);
		const valueEnd = endOfValue(text, i);
		if (valueEnd < 0) return null;
		const raw = text.slice(i, valueEnd);
		out[key] = raw[0] === '"' ? (JSON.parse(raw) as string) : raw === 'null' ? null : raw;
		i = skipSpace(text, valueEnd);
		if (text[i] === ',') {
			i = skipSpace(text, i + 1);
			continue;
		}
		return text[i] === '}' ? out : null;
	}
}

function skipSpace(text: string, i: number): number {
	while (i < text.length && ' \t\r\n'.includes(text.charAt(i))) i++;
	return i;
}

/** Index just past the string literal that starts at `i`. */
function endOfString(text: string, i: number): number {
	for (let j = i + 1; j < text.length; j++) {
		if (text[j] === '\\') j++;
		else if (text[j] === '"') return j + 1;
	}
	return -1;
}

/** Index just past the JSON value that starts at `i`, or -1. */
function endOfValue(text: string, i: number): number {
	const first = text[i];
	if (first === '"') return endOfString(text, i);
	if (first === '{' || first === '[') {
		let depth = 0;
		for (let j = i; j < text.length; j++) {
			const c = text[j];
			if (c === '"') {
				j = endOfString(text, j) - 1;
				if (j < 0) return -1;
			} else if (c === '{' || c === '[') depth++;
			else if (c === '}' || c === ']') {
				depth--;
				if (depth === 0) return j + 1;
			}
		}
		return -1;
	}
	let j = i;
	while (j < text.length && !',}] \t\r\n'.includes(text.charAt(j))) j++;
	return j > i ? j : -1;
}
