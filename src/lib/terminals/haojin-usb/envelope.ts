/**
 * The Haojin request envelope and response decoding (NOTES.md §3, vendor page §3 and §5).
 *
 * Request: `formatted = {k1=v1,k2='v2'}` (keys ascending, strings single-quoted, numbers bare,
 * null/empty as `''`), `digest = MD5(formatted + POS_KEY)` in uppercase hex, and the text
 * `{content:<formatted>, digest:'<DIGEST>'}` AES-encrypted and base64-encoded.
 * Response: JSON `{respcd, respmsg, resperr, data}`, plain or encrypted; `data` is a JSON string.
 */
import SparkMD5 from 'spark-md5';
import { z } from 'zod/mini';
import { decryptText, encryptText } from './cipher';

export type ContentValue = string | number | null;
/** A request's fields. `undefined` leaves a field out; `null` and `''` are sent as `''`. */
export type Content = Readonly<Record<string, ContentValue | undefined>>;

/**
 * The vendor page defines no escaping, so a value that would break the `{k='v'}` text is refused
 * rather than sent in a form the terminal would misread.
 */
const UNSAFE_TEXT = /['{},=\r\n]/;

export function formatContent(content: Content): string {
	const keys = Object.keys(content)
		.filter((key) => content[key] !== undefined)
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	const parts = keys.map((key) => {
		if (!/^[A-Za-z0-9_]+$/.test(key)) throw new RangeError(`Unusable field name "${key}"`);
		const value = content[key];
		if (value === null || value === '' || value === undefined) return `${key}=''`;
		if (typeof value === 'number') {
			if (!Number.isFinite(value)) throw new RangeError(`${key} must be a finite number`);
			return `${key}=${String(value)}`;
		}
		if (UNSAFE_TEXT.test(value)) {
			throw new RangeError(`${key} may not contain quotes, braces, commas, "=" or line breaks`);
		}
		return `${key}='${value}'`;
	});
	return `{${parts.join(',')}}`;
}

/** NOTES.md §3: uppercase hex MD5 of the formatted content followed by the POS-KEY. */
export function digestOf(formatted: string, posKey: string): string {
	return SparkMD5.hash(formatted + posKey).toUpperCase();
}

/** The plaintext that gets encrypted (NOTES.md §3). */
export function envelopeText(content: Content, posKey: string): string {
	const formatted = formatContent(content);
	return `{content:${formatted}, digest:'${digestOf(formatted, posKey)}'}`;
}

/** The base64 text that goes into the frame's data field. */
export async function encodeRequest(
	content: Content,
	posKey: string,
	key: CryptoKey
): Promise<string> {
	return encryptText(key, envelopeText(content, posKey));
}

// ---------------------------------------------------------------------------------------------
// Responses

const optionalText = z.optional(
	z.pipe(
		z.union([z.string(), z.number(), z.null()]),
		z.transform((value) => (value === null ? undefined : String(value)))
	)
);

/**
 * The fields of `data` we act on (vendor page §5). Loose: unknown fields pass through, numbers are
 * accepted where the page says string, so a firmware variant does not lose a payment result.
 */
export const responseDataSchema = z.looseObject({
	respcd: optionalText,
	resmsg: optionalText,
	respmsg: optionalText,
	reserr: optionalText,
	resperr: optionalText,
	syssn: optionalText,
	orig_syssn: optionalText,
	out_trade_no: optionalText,
	orderId: optionalText,
	txamt: optionalText,
	txcurrcd: optionalText,
	cardscheme: optionalText,
	cardno: optionalText,
	cardtype: optionalText,
	refno: optionalText,
	cancel: optionalText,
	busicd: optionalText
});
export type ResponseData = z.infer<typeof responseDataSchema>;

const responseSchema = z.object({
	respcd: z.pipe(z.union([z.string().check(z.minLength(1)), z.number()]), z.transform(String)),
	respmsg: optionalText,
	resperr: optionalText,
	data: z.optional(z.unknown())
});

export interface HaojinResponse {
	respcd: string;
	respmsg: string;
	resperr: string;
	/** `data` parsed; absent when the response carried none. */
	data?: ResponseData;
	/** Set when `data` was present but unreadable (so a result may be hidden in it). */
	dataProblem?: string;
	/** Whether the response came encrypted (plain JSON is accepted too, NOTES.md §3). */
	encrypted: boolean;
}

export type DecodeErrorCode = 'empty' | 'undecryptable' | 'not_json' | 'schema';
export type DecodeResult =
	{ ok: true; response: HaojinResponse } | { ok: false; code: DecodeErrorCode; message: string };

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}

function readData(raw: unknown): Pick<HaojinResponse, 'data' | 'dataProblem'> {
	if (raw === undefined || raw === null) return {};
	let value: unknown = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return {};
		const parsed = parseJson(raw);
		if (!parsed.ok) return { dataProblem: 'data is not JSON' };
		value = parsed.value;
	}
	const result = responseDataSchema.safeParse(value);
	if (!result.success) return { dataProblem: 'data has unexpected fields' };
	return { data: result.data };
}

/**
 * Decodes one message from the terminal: plain JSON first, then base64 + AES (NOTES.md §3).
 * Never throws.
 */
export async function decodeResponse(text: string, key: CryptoKey): Promise<DecodeResult> {
	const trimmed = text.trim();
	if (trimmed === '') return { ok: false, code: 'empty', message: 'The terminal sent nothing' };
	let json = parseJson(trimmed);
	let encrypted = false;
	if (!json.ok) {
		const plain = await decryptText(key, trimmed);
		if (plain === undefined) {
			return {
				ok: false,
				code: 'undecryptable',
				message:
					"The terminal's answer could not be decrypted: the POS-KEY or key mode set on the till " +
					'does not match the terminal.'
			};
		}
		json = parseJson(plain.trim());
		encrypted = true;
		if (!json.ok) {
			return { ok: false, code: 'not_json', message: "The terminal's answer is not JSON" };
		}
	}
	const parsed = responseSchema.safeParse(json.value);
	if (!parsed.success) {
		return {
			ok: false,
			code: 'schema',
			message: "The terminal's answer has no response code (respcd)"
		};
	}
	const { respcd, respmsg, resperr, data } = parsed.data;
	return {
		ok: true,
		response: {
			respcd,
			respmsg: respmsg ?? '',
			resperr: resperr ?? '',
			...readData(data),
			encrypted
		}
	};
}
