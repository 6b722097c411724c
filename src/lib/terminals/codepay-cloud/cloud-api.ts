/**
 * The browser side of the server's CodePay cloud routes: requests with the device token and the
 * staff session, answers parsed with zod, failures as `TerminalError`s that say whether the order
 * may have gone out.
 */
import { z } from 'zod/mini';
import { TerminalError } from '../driver';

export const cloudOrderSchema = z.object({
	merchantOrderNo: z.string(),
	state: z.enum(['sending', 'sent', 'unknown', 'approved', 'declined', 'cancelled', 'failed']),
	reference: z.optional(z.string()),
	outcome: z.optional(
		z.object({
			status: z.enum(['approved', 'declined', 'cancelled', 'unknown']),
			reference: z.optional(z.string()),
			cardBrand: z.optional(z.string()),
			maskedCard: z.optional(z.string()),
			authCode: z.optional(z.string()),
			amount: z.optional(z.int()),
			tip: z.optional(z.int()),
			message: z.optional(z.string()),
			code: z.optional(z.string())
		})
	),
	expiresAt: z.optional(z.number()),
	/** A hosted order's checkout page (the link rail's). */
	payUrl: z.optional(z.string())
});
export type CloudOrderView = z.infer<typeof cloudOrderSchema>;

const answerSchema = z.object({ order: cloudOrderSchema });
const errorSchema = z.object({ error: z.string(), message: z.string() });

export interface CloudApiOptions {
	deviceToken?: string;
	staffSession?: () => string | null | undefined;
	fetch?: typeof fetch;
	/** Where the POS server is; the page's own origin by default. */
	base?: string;
	/** The server rail whose routes are called (`codepay-cloud` by default; the link rail's too). */
	rail?: string;
}

export class CloudApi {
	readonly #options: CloudApiOptions;
	constructor(options: CloudApiOptions) {
		this.#options = options;
	}

	headers(): Record<string, string> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (this.#options.deviceToken) headers.authorization = `Bearer ${this.#options.deviceToken}`;
		const session = this.#options.staffSession?.();
		if (session) headers['x-staff-session'] = session;
		return headers;
	}

	url(path: string): string {
		return `${this.#options.base ?? ''}/api/rails/${this.#options.rail ?? 'codepay-cloud'}${path}`;
	}

	get fetch(): typeof fetch {
		return this.#options.fetch ?? ((input, init) => fetch(input, init));
	}

	/** A call whose answer is not an order (tip adjustment, batch close), parsed by `schema`. */
	async callFor<T>(path: string, body: unknown, schema: z.ZodMiniType<T>): Promise<T> {
		let response: Response;
		try {
			response = await this.fetch(this.url(path), {
				method: 'POST',
				headers: { ...this.headers(), 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
		} catch {
			throw new TerminalError('connection_lost', 'The POS server did not answer; ask again.', true);
		}
		const payload: unknown = await response.json().catch(() => undefined);
		const parsed = schema.safeParse(payload);
		if (response.ok && parsed.success) return parsed.data;
		const error = errorSchema.safeParse(payload);
		const message = error.success
			? error.data.message
			: `The POS server answered ${response.status}.`;
		if (response.status === 401 || response.status === 403) {
			throw new TerminalError('auth', message, false);
		}
		throw new TerminalError(
			response.ok || response.status >= 500 ? 'protocol' : 'bad_request',
			message,
			response.status >= 500
		);
	}

	/**
	 * One call. `sends` tells whether the call may make the gateway act (a push, a cancel): then a
	 * lost answer means the order may have gone out.
	 */
	async call(path: string, body: unknown, sends: boolean): Promise<CloudOrderView> {
		let response: Response;
		try {
			response = await this.fetch(this.url(path), {
				method: body === undefined ? 'GET' : 'POST',
				headers: {
					...this.headers(),
					...(body === undefined ? {} : { 'content-type': 'application/json' })
				},
				body: body === undefined ? undefined : JSON.stringify(body)
			});
		} catch {
			throw new TerminalError(
				'connection_lost',
				'The POS server did not answer; the payment is checked with the gateway.',
				sends
			);
		}
		const payload: unknown = await response.json().catch(() => undefined);
		if (response.ok) {
			const parsed = answerSchema.safeParse(payload);
			if (parsed.success) return parsed.data.order;
			throw new TerminalError(
				'protocol',
				'The POS server gave an answer the till cannot read.',
				sends
			);
		}
		const error = errorSchema.safeParse(payload);
		const message = error.success
			? error.data.message
			: `The POS server answered ${response.status}.`;
		if (response.status >= 500) throw new TerminalError('protocol', message, sends);
		const code =
			response.status === 401 || response.status === 403
				? 'auth'
				: error.success && error.data.error === 'cloud_not_configured'
					? 'unsupported'
					: 'bad_request';
		// The server refused before asking the gateway: nothing went out.
		throw new TerminalError(code, message, false);
	}
}
