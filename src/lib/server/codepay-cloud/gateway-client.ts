/**
 * The CodePay cloud gateway client (server side, keep-alive node:http): signs each call, and believes an
 * answer only when its signature verifies. Every call ends in one of three values:
 * - `ok`: a signed answer with `code "0"`, its `data` parsed by the call's schema;
 * - `refused`: a signed answer with another code (the gateway said no);
 * - `unknown`: anything else after the request may have left (timeout, 5xx, unsigned or wrongly
 *   signed answer, a body the schema refuses). The caller settles it by a signed `order.query`,
 *   never by believing the answer.
 * `unreachable` is kept for a connection that was refused before anything was sent.
 *
 * Every call is logged (method, merchant_order_no, code, latency), never keys or card data.
 */
import { z } from 'zod';
import { httpPost, PostError, postWithFetch, type HttpPost } from '../http-post';
import type { CloudCredentials } from './credentials';
import { METHODS, type MethodKey } from './methods';
import { dataObject, envelopeSchema } from './schemas';
import { believeSigned, signedRequestBodyAsync } from './signed-message';

export type GatewayResult<T> =
	| { kind: 'ok'; data: T; psn?: string }
	| { kind: 'refused'; code: string; message: string }
	| { kind: 'unknown'; reason: string }
	| { kind: 'unreachable'; reason: string };

export interface GatewayLogLine {
	method: string;
	merchantOrderNo?: string;
	/** The gateway's code, or what went wrong (`timeout`, `bad_signature`...). */
	code: string;
	latencyMs: number;
}

export interface GatewayClientOptions {
	/** The transport; by default keep-alive node:http(s). */
	post?: HttpPost;
	/** A fetch to send with instead (tests hand in one that answers like a gateway). */
	fetch?: typeof fetch;
	now?: () => number;
	timeoutMs?: number;
	log?: (line: GatewayLogLine) => void;
}

export const DEFAULT_TIMEOUT_MS = 20_000;

export class CodePayGateway {
	readonly #credentials: CloudCredentials;
	readonly #post: HttpPost;
	readonly #now: () => number;
	readonly #timeoutMs: number;
	readonly #log: (line: GatewayLogLine) => void;

	constructor(credentials: CloudCredentials, options: GatewayClientOptions = {}) {
		this.#credentials = credentials;
		this.#post = options.post ?? (options.fetch ? postWithFetch(options.fetch) : httpPost);
		this.#now = options.now ?? Date.now;
		this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.#log =
			options.log ??
			((line) =>
				console.log(
					`[codepay-cloud] ${line.method} ${line.merchantOrderNo ?? '-'} ${line.code} ${line.latencyMs}ms`
				));
	}

	get merchantNo(): string {
		return this.#credentials.merchantNo;
	}

	/** Calls `method` with `fields` (merchant_no added unless given), parsing `data` with `schema`. */
	async call<T>(
		method: MethodKey,
		fields: Record<string, unknown>,
		schema: z.core.$ZodType<T>
	): Promise<GatewayResult<T>> {
		const name = METHODS[method].name;
		const started = this.#now();
		const merchantOrderNo =
			typeof fields.merchant_order_no === 'string' ? fields.merchant_order_no : undefined;
		// A terminal of another merchant number names its own; otherwise the configured one.
		const merchantNo = fields.merchant_no ?? this.merchantNo;
		const result = await this.#send(name, { ...fields, merchant_no: merchantNo }, schema);
		const code =
			result.kind === 'ok' ? '0' : result.kind === 'refused' ? result.code : result.reason;
		this.#log({ method: name, merchantOrderNo, code, latencyMs: this.#now() - started });
		return result;
	}

	async #send<T>(
		method: string,
		fields: Record<string, unknown>,
		schema: z.core.$ZodType<T>
	): Promise<GatewayResult<T>> {
		const { body } = await signedRequestBodyAsync(
			{ appId: this.#credentials.appId, privateKey: this.#credentials.privateKey },
			method,
			fields,
			this.#now()
		);
		let text: string;
		let status: number;
		try {
			({ status, text } = await this.#post(this.#credentials.gatewayUrl, body, {
				timeoutMs: this.#timeoutMs,
				contentType: 'application/json; charset=utf-8'
			}));
		} catch (error) {
			const failure = error instanceof PostError ? error.failure : 'transport';
			if (failure === 'unreachable') return { kind: 'unreachable', reason: 'unreachable' };
			return { kind: 'unknown', reason: failure };
		}
		if (status >= 500) return { kind: 'unknown', reason: `http_${status}` };
		const believed = believeSigned(text, this.#credentials.gatewayPublicKey);
		if (!believed.ok) return { kind: 'unknown', reason: believed.reason };
		const envelope = envelopeSchema.safeParse(believed.value);
		if (!envelope.success) return { kind: 'unknown', reason: 'bad_envelope' };
		if (envelope.data.code !== '0') {
			return {
				kind: 'refused',
				code: envelope.data.code,
				message: envelope.data.msg ?? 'The gateway refused the request.'
			};
		}
		const data = z.safeParse(schema, dataObject(envelope.data.data));
		if (!data.success) return { kind: 'unknown', reason: 'bad_data' };
		return { kind: 'ok', data: data.data, psn: envelope.data.psn };
	}
}
