/**
 * The HTTP shell around the pure core: posts a signed form to `create_order` or `query_order` and
 * hands back the parsed JSON. Transport failures are `GatewayError`s that say whether the gateway
 * may have received the request (`mayHaveReached`), which decides between "not sent" and
 * "unknown".
 */
import type { IotPaySettings } from './settings';
import { encodeBody } from './wire';

export type GatewayErrorCode = 'unreachable' | 'timeout' | 'connection_lost' | 'protocol';

export class GatewayError extends Error {
	readonly code: GatewayErrorCode;
	readonly mayHaveReached: boolean;
	constructor(code: GatewayErrorCode, message: string, mayHaveReached: boolean) {
		super(message);
		this.name = 'GatewayError';
		this.code = code;
		this.mayHaveReached = mayHaveReached;
	}
}

/** Connection errors that happen before a byte of the request can have left. */
const NEVER_SENT = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH'
]);

function causeCode(error: unknown): string | undefined {
	const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
	return typeof cause?.code === 'string' ? cause.code : undefined;
}

export type Endpoint = 'create_order' | 'query_order';

export async function post(
	settings: IotPaySettings,
	endpoint: Endpoint,
	fields: Record<string, string>,
	timeoutMs: number,
	fetchImpl: typeof fetch = fetch
): Promise<unknown> {
	const url = `${settings.baseUrl}/${endpoint}`;
	let response: Response;
	let text: string;
	try {
		response = await fetchImpl(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
			body: encodeBody(fields, settings.key, settings.form),
			signal: AbortSignal.timeout(timeoutMs)
		});
		text = await response.text();
	} catch (error) {
		const name = (error as Error | null)?.name;
		if (name === 'TimeoutError' || name === 'AbortError') {
			throw new GatewayError('timeout', `IOT Pay did not answer ${endpoint} in time.`, true);
		}
		const code = causeCode(error);
		if (code && NEVER_SENT.has(code)) {
			throw new GatewayError('unreachable', `IOT Pay cannot be reached (${code}).`, false);
		}
		throw new GatewayError(
			'connection_lost',
			`The connection to IOT Pay broke during ${endpoint}${code ? ` (${code})` : ''}.`,
			true
		);
	}
	try {
		return JSON.parse(text);
	} catch {
		throw new GatewayError(
			'protocol',
			`IOT Pay answered ${endpoint} with HTTP ${response.status} and no JSON.`,
			true
		);
	}
}
