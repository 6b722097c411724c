/**
 * What pages and the service worker say to each other (both sides parse with zod: a message is
 * inbound data like any other).
 */
import { z } from 'zod/mini';

/** Page → worker. `apply-update`: the waiting version takes over (the page reloads after). */
export const pageMessage = z.discriminatedUnion('type', [
	z.object({ type: z.literal('apply-update') }),
	/** A page has loaded: caches no page uses any more can go. */
	z.object({ type: z.literal('tidy-caches') })
]);
export type PageMessage = z.infer<typeof pageMessage>;

/** Worker → page, over a MessageChannel: which version are you running? */
export const versionQuery = z.object({ type: z.literal('which-version') });
export const versionAnswer = z.object({ version: z.string().check(z.maxLength(200)) });
