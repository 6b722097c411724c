/**
 * Text that can be stored: no NUL and no lone UTF-16 surrogate. PostgreSQL refuses both in `text`
 * and `jsonb` (a terminal's decline message once stopped a till's sync this way), and neither means
 * anything to a cashier. Inbound strings are checked at the edge (`cleanString`, `findUncleanText`);
 * texts a terminal sends are cleaned where they enter the journal (`cleanText`).
 */
import { z } from 'zod/mini';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

export const UNCLEAN_TEXT_MESSAGE = 'must be valid Unicode without NUL characters';

export function isCleanText(text: string): boolean {
	return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** Drops NUL characters and replaces each lone surrogate with U+FFFD. */
export function cleanText(text: string): string {
	if (isCleanText(text)) return text;
	return text.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\ufffd');
}

/** A zod string that refuses NUL and lone surrogates. */
export function cleanString() {
	return z.string().check(z.refine(isCleanText, UNCLEAN_TEXT_MESSAGE));
}

/**
 * The path of the first string (value or object key) in a parsed JSON value that is not clean
 * text, or null. `maxDepth` bounds the walk: deeper values count as unclean (`depth` reason).
 */
export function findUncleanText(
	value: unknown,
	maxDepth = 64
): { path: string; reason: 'text' | 'depth' } | null {
	const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
	while (stack.length > 0) {
		const item = stack.pop()!;
		if (typeof item.value === 'string') {
			if (!isCleanText(item.value)) return { path: item.path, reason: 'text' };
			continue;
		}
		if (item.value === null || typeof item.value !== 'object') continue;
		if (item.depth >= maxDepth) return { path: item.path, reason: 'depth' };
		const entries = Array.isArray(item.value)
			? item.value.map((v, i) => [String(i), v] as const)
			: Object.entries(item.value);
		for (const [key, child] of entries) {
			const path = item.path ? `${item.path}.${key}` : key;
			if (!isCleanText(key)) return { path, reason: 'text' };
			stack.push({ value: child, path, depth: item.depth + 1 });
		}
	}
	return null;
}
