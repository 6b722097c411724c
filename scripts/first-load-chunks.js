/**
 * How the browser build groups its modules (rolldown's `output.codeSplitting`), so that the sale
 * screen's first load is a handful of files rather than some thirty: every file is a request, with
 * its headers and a round trip, on a shop's slow network.
 *
 * - `shell`: everything the app's entry and the root layout import statically (the journal, the
 *   state classes, Svelte and SvelteKit's runtime, zod, Dexie). Every page loads all of it anyway.
 * - `sale`: what the sale screen (`/`) imports statically besides the shell.
 *
 * Whatever a page or a component imports dynamically (the checkout, the rails' screens, the back
 * office) keeps rolldown's own chunks and loads when it is used. In the server build the entries
 * below do not exist and nothing is grouped.
 */

import { fileURLToPath } from 'node:url';

const GENERATED = fileURLToPath(
	new URL('../.svelte-kit/generated/client-optimized/', import.meta.url)
);
const START = fileURLToPath(
	new URL('../node_modules/@sveltejs/kit/src/runtime/client/entry.js', import.meta.url)
);
/** The app's entry, the root layout and the error page: what every page loads. */
const SHELL_ROOTS = [
	START,
	`${GENERATED}app.js`,
	`${GENERATED}nodes/0.js`,
	`${GENERATED}nodes/1.js`
];
/** The sale screen, `/`. */
const SALE_ROOTS = [`${GENERATED}nodes/3.js`];

/**
 * The static import closure of `roots`, without the roots (entries stay their own files).
 * @param {import('rolldown').ChunkingContext} ctx
 * @param {string[]} roots
 */
function closure(ctx, roots) {
	const seen = new Set();
	const queue = [...roots];
	while (queue.length > 0) {
		const id = /** @type {string} */ (queue.pop());
		if (seen.has(id)) continue;
		seen.add(id);
		for (const next of ctx.getModuleInfo(id)?.importedIds ?? []) queue.push(next);
	}
	for (const root of roots) seen.delete(root);
	return seen;
}

/** @returns {import('rolldown').CodeSplittingOptions} */
export function firstLoadChunks() {
	/** @type {{ shell: Set<string>, sale: Set<string> } | undefined} */
	let groups;
	/** @param {import('rolldown').ChunkingContext} ctx */
	const of = (ctx) =>
		(groups ??= { shell: closure(ctx, SHELL_ROOTS), sale: closure(ctx, SALE_ROOTS) });
	return {
		groups: [
			// The shell first: a module both import is the shell's, so no other page loads `sale`.
			{
				debugName: 'shell',
				priority: 2,
				name: (id, ctx) => (of(ctx).shell.has(id) ? 'shell' : null)
			},
			{
				debugName: 'sale',
				priority: 1,
				name: (id, ctx) => (of(ctx).sale.has(id) ? 'sale' : null)
			}
		]
	};
}
