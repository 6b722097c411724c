/**
 * What the server refuses before any API route sees a request (issue 8 §5): a body announced as
 * larger than the body limit (413, unread), and a query string holding a NUL or a lone surrogate
 * (400), which no search, day or id can contain and the store cannot hold. Headers need no such
 * check: HTTP refuses NUL in a header outright, and header values are bytes, never surrogates.
 */
import { cleanText, isCleanText, UNCLEAN_TEXT_MESSAGE } from '$lib/text/clean-text';
import { bodyTooLarge, jsonError } from './http';

/** A ready 4xx for `request`, or null when it may go on. `bodyLimit` is in bytes. */
export function refuseAtEdge(request: Request, url: URL, bodyLimit: number): Response | null {
	const announced = Number(request.headers.get('content-length') ?? 0);
	if (announced > bodyLimit) return bodyTooLarge(bodyLimit);
	for (const [key, value] of url.searchParams) {
		if (isCleanText(key) && isCleanText(value)) continue;
		return jsonError(400, 'bad_query', 'The address of the request holds text that is not valid.', {
			issues: [{ path: cleanText(key), message: UNCLEAN_TEXT_MESSAGE }]
		});
	}
	return null;
}
