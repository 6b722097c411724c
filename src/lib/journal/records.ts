/**
 * How the journal shapes what it stores: parsed with its schemas, texts cleaned, unknown fields
 * left out. Pure.
 */
import type { z } from 'zod/mini';
import { cleanText } from '../text/clean-text';
import { JournalError } from './errors';

export function parse<S extends z.ZodMiniType>(
	schema: S,
	value: unknown,
	what: string
): z.output<S> {
	const result = schema.safeParse(value);
	if (!result.success) {
		const issue = result.error.issues[0];
		const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
		throw new JournalError('invalid', `${what} is not valid${where}: ${issue?.message ?? ''}`);
	}
	return result.data;
}

/**
 * A terminal's texts (decline messages, references, card brands, error messages) as the journal
 * keeps them: without NUL or lone surrogates, which the server cannot store (`clean-text.ts`).
 */
export function cleanTexts<T extends object>(value: T): T {
	return Object.fromEntries(
		Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? cleanText(v) : v])
	) as T;
}

/** Drops undefined values so stored records only carry what is known. */
export function known<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
