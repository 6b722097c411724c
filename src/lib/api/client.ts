import { z } from 'zod/mini';

/** A failed call to the POS server, with a message a cashier can act on. */
export class ApiError extends Error {
	readonly status: number;
	readonly code: string;
	constructor(status: number, code: string, message: string) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
	}
	/** True when the server could not be reached at all (offline, server down). */
	get offline(): boolean {
		return this.status === 0;
	}
}

const errorBody = z.object({ error: z.optional(z.string()), message: z.optional(z.string()) });

export interface Credentials {
	deviceToken?: string | null;
	staffSession?: string | null;
}

/** Calls the POS server's JSON API and parses the answer with `schema`. */
export async function apiCall<T>(
	path: string,
	schema: z.ZodMiniType<T>,
	options: { method?: string; body?: unknown; credentials?: Credentials; fetch?: typeof fetch } = {}
): Promise<T> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	if (options.credentials?.deviceToken) {
		headers.authorization = `Bearer ${options.credentials.deviceToken}`;
	}
	if (options.credentials?.staffSession)
		headers['x-staff-session'] = options.credentials.staffSession;
	let response: Response;
	try {
		response = await (options.fetch ?? fetch)(path, {
			method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body)
		});
	} catch {
		throw new ApiError(0, 'offline', 'The POS server cannot be reached. Check the network.');
	}
	let payload: unknown = null;
	try {
		payload = await response.json();
	} catch {
		payload = null;
	}
	if (!response.ok) {
		const parsed = errorBody.safeParse(payload);
		const body = parsed.success ? parsed.data : {};
		throw new ApiError(
			response.status,
			body.error ?? `http_${response.status}`,
			body.message ?? `The POS server answered ${response.status}.`
		);
	}
	const parsed = schema.safeParse(payload);
	if (!parsed.success) {
		throw new ApiError(response.status, 'bad_response', `Unexpected answer from ${path}.`);
	}
	return parsed.data;
}
