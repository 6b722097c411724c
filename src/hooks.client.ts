import type { ClientInit } from '@sveltejs/kit';
import { z } from 'zod/mini';
import { en } from 'zod/locales';

/**
 * The pages' CSP allows no eval (`svelte.config.js`), so zod cannot compile its parsers with
 * `new Function` and falls back to interpreting them; `jitless` says so up front, where zod would
 * otherwise probe with `new Function` and the browser report a CSP violation for every page load.
 * The till uses zod/mini (a third of classic zod's size), which carries no messages of its own:
 * English ones are set here, as classic zod does when it loads (the server's case).
 */
export const init: ClientInit = () => {
	z.config({ ...en(), jitless: true });
};
