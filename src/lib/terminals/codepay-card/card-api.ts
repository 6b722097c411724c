/**
 * The browser side of the server's card-entry routes: requests with the device token and the staff
 * session, answers parsed with zod, failures as `TerminalError`s that say whether the payment may
 * have gone out. The card goes only as the ciphertext the form made.
 */
import { z } from 'zod';
import { TerminalError } from '../driver';

export const checkoutViewSchema = z.object({
	merchantOrderNo: z.string(),
	state: z.enum(['sending', 'sent', 'unknown', 'approved', 'declined', 'cancelled', 'failed']),
	reference: z.string().optional(),
	outcome: z
		.object({
			status: z.enum(['approved', 'declined', 'cancelled', 'unknown']).optional(),
			reference: z.string().optional(),
			cardBrand: z.string().optional(),
			maskedCard: z.string().optional(),
			authCode: z.string().optional(),
			amount: z.int().optional(),
			message: z.string().optional(),
			code: z.string().optional()
		})
		.optional(),
	threeDsUrl: z.string().optional()
});
export type CheckoutView = z.infer<typeof checkoutViewSchema>;

const orderAnswer = z.object({ order: checkoutViewSchema });
const keyAnswer = z.object({ spki: z.string().min(1) });
const errorSchema = z.object({ error: z.string(), message: z.string() });

export interface CardApiOptions {
	deviceToken?: string;
	staffSession?: () => string | null | undefined;
	fetch?: typeof fetch;
}

export class CardApi {
	readonly #options: CardApiOptions;
	constructor(options: CardApiOptions) {
		this.#options = options;
	}

	/** The gateway's public key (SPKI, base64) the card is encrypted with. */
	async gatewayKey(): Promise<string> {
		return (await this.#call('GET', '/key', undefined, false, keyAnswer)).spki;
	}

	/** `sends`: the call may make the gateway act, so a lost answer means it may have. */
	order(
		method: 'GET' | 'POST',
		path: string,
		body: unknown,
		sends: boolean
	): Promise<CheckoutView> {
		return this.#call(method, path, body, sends, orderAnswer).then((answer) => answer.order);
	}

	async #call<T>(
		method: 'GET' | 'POST',
		path: string,
		body: unknown,
		sends: boolean,
		schema: z.ZodType<T>
	): Promise<T> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (this.#options.deviceToken) headers.authorization = `Bearer ${this.#options.deviceToken}`;
		const session = this.#options.staffSession?.();
		if (session) headers['x-staff-session'] = session;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const doFetch = this.#options.fetch ?? ((input, init) => fetch(input, init));
		let response: Response;
		try {
			response = await doFetch(`/api/rails/codepay-card${path}`, {
				method,
				headers,
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
			const parsed = schema.safeParse(payload);
			if (parsed.success) return parsed.data;
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
		// Refused before the gateway was asked: nothing went out.
		throw new TerminalError(code, message, false);
	}
}
