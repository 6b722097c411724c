/** Small helpers the API handlers share: JSON errors a till can show, and body parsing. */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { cleanText, findUncleanText, UNCLEAN_TEXT_MESSAGE } from '$lib/text/clean-text';
import { findTooDeep } from './json-depth';
import { toIssues } from './sync/sync-schema';

/** `{ error, message }` with `status`; `message` is written for the cashier. */
export function jsonError(
	status: number,
	error: string,
	message: string,
	extra: Record<string, unknown> = {},
	headers: Record<string, string> = {}
): Response {
	return json({ error, message, ...extra }, { status, headers });
}

/** A 429 with `Retry-After` in whole seconds. */
export function tooMany(error: string, message: string, retryAfterMs: number): Response {
	const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
	return jsonError(
		429,
		error,
		message,
		{ retryAfter: seconds },
		{ 'retry-after': String(seconds) }
	);
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

/** Reads the request's JSON body and validates it; a failure is a ready 400 response. */
export async function parseJsonBody<T>(
	request: Request,
	schema: z.core.$ZodType<T>
): Promise<Parsed<T>> {
	const body = await readJson(request);
	if (!body.ok) return body;
	return parseValue(body.data, schema);
}

/** Deeper than any record a till sends (an order nests 4 levels), and far from any stack limit. */
export const MAX_JSON_DEPTH = 64;

export interface ReadJsonOptions {
	/**
	 * `refuse` (the default): a NUL or lone surrogate in any string or key answers 400, since the
	 * store cannot hold them. `keep`: the caller takes such strings as they are and deals with them
	 * itself (sync sets single records aside rather than refusing a whole batch).
	 */
	uncleanText?: 'refuse' | 'keep';
}

/**
 * The request's body as JSON, or a ready 4xx: 413 when it is larger than the server accepts, 400
 * when it is not JSON, nests deeper than `MAX_JSON_DEPTH` or (unless kept) holds unclean text.
 */
export async function readJson(
	request: Request,
	options: ReadJsonOptions = {}
): Promise<Parsed<unknown>> {
	let data: unknown;
	try {
		data = await request.json();
	} catch (error) {
		if (isBodyTooLarge(error)) return { ok: false, response: bodyTooLarge() };
		return refused('The request body is not valid JSON.', []);
	}
	if (options.uncleanText === 'keep') {
		const path = findTooDeep(data, MAX_JSON_DEPTH);
		if (path !== null) return refused(TOO_DEEP, [{ path, message: TOO_DEEP_ISSUE }]);
		return { ok: true, data };
	}
	const problem = findUncleanText(data, MAX_JSON_DEPTH);
	if (problem?.reason === 'depth') {
		return refused(TOO_DEEP, [{ path: problem.path, message: TOO_DEEP_ISSUE }]);
	}
	if (problem) {
		// The path may run through the unclean key itself: shown cleaned.
		return refused('The request holds text that is not valid Unicode or has NUL characters.', [
			{ path: cleanText(problem.path), message: UNCLEAN_TEXT_MESSAGE }
		]);
	}
	return { ok: true, data };
}

const TOO_DEEP = 'The request body is nested too deeply.';
const TOO_DEEP_ISSUE = `nested deeper than ${MAX_JSON_DEPTH} levels`;

function refused(message: string, issues: { path: string; message: string }[]): Parsed<never> {
	return { ok: false, response: jsonError(400, 'bad_request', message, { issues }) };
}

/**
 * adapter-node errors the body stream with a 413 (its `SvelteKitError`, not exported) once the
 * body passes `BODY_SIZE_LIMIT`, or at once when `content-length` announces more.
 */
function isBodyTooLarge(error: unknown): boolean {
	return error instanceof Error && (error as { status?: unknown }).status === 413;
}

/** 413: the body is larger than `BODY_SIZE_LIMIT` (`limit` in bytes, when known). */
export function bodyTooLarge(limit?: number): Response {
	const most = limit === undefined ? '' : ` (at most ${formatBytes(limit)})`;
	return jsonError(
		413,
		'body_too_large',
		`The request is larger than the POS server accepts${most}.`,
		limit === undefined ? {} : { limit }
	);
}

function formatBytes(bytes: number): string {
	if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
	if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
	return `${bytes} bytes`;
}

export function parseValue<T>(value: unknown, schema: z.core.$ZodType<T>): Parsed<T> {
	const parsed = z.safeParse(schema, value);
	if (parsed.success) return { ok: true, data: parsed.data };
	return {
		ok: false,
		response: jsonError(400, 'bad_request', 'The request is malformed.', {
			issues: toIssues(parsed.error)
		})
	};
}

export function deviceNotPaired(): Response {
	return jsonError(
		401,
		'device_not_paired',
		'This device is not paired with the POS server. Pair it again in Settings.'
	);
}

/** The part of SvelteKit's `RequestEvent` the API handlers use; easy to build in a test. */
export interface ApiEvent {
	request: Request;
	url: URL;
	locals: App.Locals;
	getClientAddress(): string;
}
