/**
 * Haojin response codes → driver outcomes and errors (NOTES.md §3, vendor page §5).
 *
 * `respcd` says whether the app accepted the request; the payment result is `data.respcd`
 * (`"0000"` = paid). Request-level refusals (wrong key, bad parameters, not logged in) mean the
 * terminal did nothing: they become `TerminalError`s with `mayHaveReachedTerminal = false`.
 */
import { parseDecimal } from '$lib/money';
import { TerminalError, type Outcome } from '../driver';
import type { HaojinResponse, ResponseData } from './envelope';

/** NOTES.md §3 `respcd`. */
export const RESPCD = {
	ok: '6000',
	userCancelled: '6001',
	requestError: '6002',
	keyMismatch: '4003',
	wrongMethod: '4004',
	other: '4005',
	badParameters: '4006',
	notLoggedIn: '4007',
	decryptFailed: '5001'
} as const;

/** NOTES.md §3: inside `data`, `respcd "0000"` = paid. */
export const PAID = '0000';

/**
 * QFPay's gateway answers these while a payment is still being processed ("query again later").
 * *Unconfirmed* for the terminal app; treating them as unknown is the safe reading.
 */
const IN_PROGRESS: ReadonlySet<string> = new Set(['1143', '1145']);

/** The inner code of a transaction the terminal is still working on. */
export function isInProgress(code: string | undefined): boolean {
	return code !== undefined && IN_PROGRESS.has(code);
}

export type HaojinOperation = 'sale' | 'refund' | 'query' | 'cancel' | 'print';

/**
 * *Unconfirmed*: QFPay reports `txamt` in minor units (cents) in its gateway API, while the
 * terminal's request `amt` is major units. Default `'minor'`; a setting covers the other reading.
 */
export type TxamtUnit = 'minor' | 'major';

export interface OutcomeContext {
	currency: string;
	txamtUnit: TxamtUnit;
}

const NOTHING_DONE = ' Nothing was charged.';

/**
 * A reply that does not decrypt with the till's POS-KEY. The request it answers may have reached
 * the terminal, so a sale or refund it answers stays unknown; a query it answers is the follow-up
 * that settles what the terminal did (`keyMismatchOutcome`).
 */
export class UnreadableReplyError extends TerminalError {
	constructor(message: string) {
		super('auth', message, true);
		this.name = 'UnreadableReplyError';
	}
}

/**
 * NOTES.md §3: when neither the reply nor the follow-up queries decrypt with the stored key, the
 * terminal never understood the request, so nothing was charged. Asking again cannot tell more
 * (`exhausted`): a manager resolves the attempt, with this as the headline.
 */
export function keyMismatchOutcome(): Outcome {
	return {
		status: 'unknown',
		finding: 'key_mismatch',
		exhausted: true,
		message: 'Not charged: the POS-KEY does not match the terminal.'
	};
}

/** The error to throw for a request-level refusal, or `undefined` if the response is a result. */
export function requestError(
	response: HaojinResponse,
	operation: HaojinOperation
): TerminalError | undefined {
	const money = operation === 'sale' || operation === 'refund' ? NOTHING_DONE : '';
	const detail = response.resperr || response.respmsg;
	switch (response.respcd) {
		case RESPCD.keyMismatch:
			return new TerminalError(
				'auth',
				'The terminal refused the POS-KEY: the key set on the till does not match the one in the ' +
					'Haojin app (Settings → device call key).' +
					money,
				false
			);
		case RESPCD.decryptFailed:
			return new TerminalError(
				'auth',
				'The terminal could not decrypt the request: check that the POS-KEY and key mode set on ' +
					'the till match the Haojin app.' +
					money,
				false
			);
		case RESPCD.notLoggedIn:
			return new TerminalError(
				'auth',
				'Log in to the Haojin app on the terminal, then try again.' + money,
				false
			);
		case RESPCD.badParameters:
			return new TerminalError(
				'bad_request',
				`The terminal refused the request's parameters${detail ? `: ${detail}` : ''}.${money}`,
				false
			);
		case RESPCD.wrongMethod:
			return new TerminalError(
				'protocol',
				`The terminal refused the request method (4004).${money}`,
				false
			);
		default:
			return undefined;
	}
}

function amountOf(text: string | undefined, context: OutcomeContext): number | undefined {
	if (text === undefined) return undefined;
	if (context.txamtUnit === 'minor') return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
	try {
		return parseDecimal(text, context.currency);
	} catch {
		return undefined;
	}
}

function details(data: ResponseData, context: OutcomeContext): Partial<Outcome> {
	const out: Partial<Outcome> = {};
	if (data.syssn) out.reference = data.syssn;
	if (data.cardscheme) out.cardBrand = data.cardscheme;
	if (data.cardno) out.maskedCard = data.cardno;
	const amount = amountOf(data.txamt, context);
	if (amount !== undefined) out.amount = amount;
	return out;
}

function messageOf(response: HaojinResponse, data?: ResponseData): string | undefined {
	const text = data?.resmsg || data?.respmsg || data?.reserr || data?.resperr || response.respmsg;
	return text || response.resperr || undefined;
}

/**
 * The business outcome of a response that `requestError` did not claim. For a query, a refusal
 * without a result (6002, 4005: typically "no such order") is `unknown`, never a decline: the
 * order may not have reached the terminal's records yet.
 */
export function toOutcome(
	response: HaojinResponse,
	operation: HaojinOperation,
	context: OutcomeContext
): Outcome {
	const { respcd, data } = response;
	const query = operation === 'query';
	if (respcd === RESPCD.userCancelled) {
		return { status: 'cancelled', code: respcd, message: messageOf(response) ?? 'Cancelled' };
	}
	if (respcd !== RESPCD.ok) {
		const refused = !query && (respcd === RESPCD.requestError || respcd === RESPCD.other);
		return {
			status: refused ? 'declined' : 'unknown',
			code: respcd,
			message: messageOf(response) ?? `The terminal answered ${respcd}`
		};
	}
	const inner = data?.respcd;
	if (!data || inner === undefined) {
		return {
			status: 'unknown',
			code: respcd,
			message: response.dataProblem
				? `The terminal's result could not be read (${response.dataProblem})`
				: 'The terminal answered without a payment result'
		};
	}
	if (inner === PAID) {
		const outcome: Outcome = { status: 'approved', code: inner, ...details(data, context) };
		const message = messageOf(response, data);
		if (message) outcome.message = message;
		return outcome;
	}
	if (IN_PROGRESS.has(inner)) {
		return { status: 'unknown', code: inner, message: messageOf(response, data) ?? 'In progress' };
	}
	return {
		status: 'declined',
		code: inner,
		message: messageOf(response, data) ?? `Declined (${inner})`
	};
}
