import type { z } from 'zod/mini';

/** Reads a JSON value from localStorage, validated; a corrupt entry is dropped, not trusted. */
export function readLocal<T>(key: string, schema: z.ZodMiniType<T>): T | null {
	if (typeof localStorage === 'undefined') return null;
	const raw = localStorage.getItem(key);
	if (raw === null) return null;
	try {
		const parsed = schema.safeParse(JSON.parse(raw));
		if (parsed.success) return parsed.data;
	} catch {
		// fall through: unreadable JSON
	}
	localStorage.removeItem(key);
	return null;
}

export function writeLocal(key: string, value: unknown): void {
	if (value === null || value === undefined) localStorage.removeItem(key);
	else localStorage.setItem(key, JSON.stringify(value));
}
