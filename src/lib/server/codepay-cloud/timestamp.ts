/**
 * The 15-minute window (NOTES.md §2): a request's `timestamp` (13-digit ms) may be at most this
 * far behind or ahead of the receiver's clock. The gateway applies it to our requests, and we to
 * its notifications.
 */
export const TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;

/** The timestamp as the wire carries it (13 digits; the samples send it as a string). */
export function wireTimestamp(nowMs: number): string {
	return String(Math.trunc(nowMs));
}

/** Whether `value` is a 13-digit ms timestamp within the window around `nowMs`. */
export function withinWindow(value: unknown, nowMs: number): boolean {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string' || !/^\d{13}$/.test(text)) return false;
	return Math.abs(Number(text) - nowMs) <= TIMESTAMP_WINDOW_MS;
}
