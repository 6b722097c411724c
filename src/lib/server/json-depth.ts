/**
 * How deep a parsed JSON value nests, walked without recursion: a body nested 5,000 deep parses
 * fine, but JSON.stringify (the store's, the log's) overflows the stack on it.
 */

/** The path of the first value nested deeper than `maxDepth`, or null. */
export function findTooDeep(value: unknown, maxDepth: number): string | null {
	const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
	while (stack.length > 0) {
		const item = stack.pop()!;
		if (item.value === null || typeof item.value !== 'object') continue;
		if (item.depth >= maxDepth) return item.path;
		for (const [key, child] of Object.entries(item.value)) {
			stack.push({
				value: child,
				path: item.path ? `${item.path}.${key}` : key,
				depth: item.depth + 1
			});
		}
	}
	return null;
}
