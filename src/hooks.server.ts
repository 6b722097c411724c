import { env } from '$env/dynamic/private';
import type { Handle, RequestEvent, ServerInit } from '@sveltejs/kit';
import { guardApi, isApiPath } from '$lib/server/auth/guard';
import { getRuntime } from '$lib/server/boot';
import { refuseAtEdge } from '$lib/server/edge-checks';
import { jsonError } from '$lib/server/http';
import { publishRelay } from '$lib/server/relay/publish';
import { DEFAULT_BODY_SIZE_LIMIT, parseBodySize } from '../server/body-limit.js';
import { API_CSP, SECURITY_HEADERS } from '../server/security-headers.js';

/** Hands the CodePay LAN relay to `server/index.js`, which owns WebSocket upgrades. */
export const init: ServerInit = () => {
	publishRelay(env);
};

/**
 * Resolves `locals.device` and `locals.staff` for API requests and turns away API calls from
 * unpaired devices, and requests no route should see (`refuseAtEdge`). Page routes pass
 * untouched: the app shell must load offline and unpaired. Every answer gets the security
 * headers.
 */
export const handle: Handle = async ({ event, resolve }) => {
	event.locals.device = null;
	event.locals.staff = null;
	const response = isApiPath(event.url.pathname)
		? await handleApi(event, resolve)
		: await resolve(event);
	return withSecurityHeaders(response);
};

async function handleApi(
	event: RequestEvent,
	resolve: Parameters<Handle>[0]['resolve']
): Promise<Response> {
	const limit = parseBodySize(env.BODY_SIZE_LIMIT || DEFAULT_BODY_SIZE_LIMIT);
	const refusal = refuseAtEdge(event.request, event.url, limit);
	if (refusal) return refusal;
	let guard: Awaited<ReturnType<typeof guardApi>>;
	try {
		guard = await guardApi(await getRuntime(env), event.url.pathname, event.request.headers);
	} catch (error) {
		// The health route reports this itself; everything else gets a message a till can show.
		if (event.url.pathname.startsWith('/api/health')) return resolve(event);
		console.error('POS server: cannot authenticate the request:', (error as Error).message);
		return jsonError(503, 'server_unavailable', 'The POS server is not ready. Try again shortly.');
	}
	if (guard.response) return guard.response;
	event.locals.device = guard.caller.device;
	event.locals.staff = guard.caller.staff;
	return asJsonError(await resolve(event));
}

/**
 * An API caller reads JSON: SvelteKit's own answers for a path or method no route serves (an HTML
 * error page, a bare 405) become the JSON error every other API answer is.
 */
function asJsonError(response: Response): Response {
	if (response.status < 400 || response.headers.get('content-type')?.includes('json')) {
		return response;
	}
	const notFound = response.status === 404;
	const allow = response.headers.get('allow');
	return jsonError(
		response.status,
		notFound ? 'not_found' : `http_${response.status}`,
		notFound ? 'There is no such API route.' : `The POS server answered ${response.status}.`,
		{},
		allow ? { allow } : {}
	);
}

/** Pages carry SvelteKit's CSP (`kit.csp`); anything without one (API answers) gets `API_CSP`. */
function withSecurityHeaders(response: Response): Response {
	let answer = response;
	try {
		setSecurityHeaders(answer.headers);
	} catch {
		// Headers of a response that came from `fetch` are immutable: answer with a copy.
		answer = new Response(response.body, response);
		setSecurityHeaders(answer.headers);
	}
	return answer;
}

function setSecurityHeaders(headers: Headers): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
	if (!headers.has('content-security-policy')) headers.set('content-security-policy', API_CSP);
}
