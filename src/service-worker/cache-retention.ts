/**
 * Which app-shell caches a service worker may delete, pure. A cache is named after the version whose
 * files it holds; it is kept while any open page still runs that version (its lazily loaded chunks
 * come from there once the server has moved on), and all are kept while a page has not said which
 * version it runs (it may be loading, or an old build that cannot answer).
 */
export const CACHE_PREFIX = 'pos-shell-';

export function cacheName(version: string): string {
	return `${CACHE_PREFIX}${version}`;
}

/** `inUse`: each open page's version, `null` for a page that did not answer. */
export function cachesToDelete(
	keys: readonly string[],
	current: string,
	inUse: readonly (string | null)[]
): string[] {
	if (inUse.includes(null)) return [];
	const keep = new Set([current, ...(inUse as string[])].map(cacheName));
	return keys.filter((key) => key.startsWith(CACHE_PREFIX) && !keep.has(key));
}
