// The one limit on request bodies, whatever starts the server (issue 8 §5). adapter-node enforces
// `BODY_SIZE_LIMIT` while a body is read (its own default, 512K, is too small for a day's sync);
// `server/index.js` sets this default before the handler loads, and `src/hooks.server.ts` reads
// the same setting to refuse an announced body above it before anything else happens.

/** Large enough for a sync of 500 records with their events; `BODY_SIZE_LIMIT` overrides it. */
export const DEFAULT_BODY_SIZE_LIMIT = '10M';

/**
 * Bytes, as adapter-node reads `BODY_SIZE_LIMIT`: a number, optionally with K, M or G (binary
 * multiples), or `Infinity`. NaN for anything else (adapter-node refuses to start on it).
 * @param {string} value
 * @returns {number}
 */
export function parseBodySize(value) {
	const unit = /** @type {Record<string, number>} */ ({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 })[
		value.at(-1)?.toUpperCase() ?? ''
	];
	return unit ? Number(value.slice(0, -1)) * unit : Number(value);
}
