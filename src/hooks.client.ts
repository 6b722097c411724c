import type { ClientInit } from '@sveltejs/kit';
import { z } from 'zod';

/**
 * The pages' CSP allows no eval (`svelte.config.js`), so zod cannot compile its parsers with
 * `new Function` and falls back to interpreting them; `jitless` says so up front, where zod would
 * otherwise probe with `new Function` and the browser report a CSP violation for every page load.
 */
export const init: ClientInit = () => {
	z.config({ jitless: true });
};
