/**
 * Haojin terminal settings, read from `TerminalConfig.params` (NOTES.md §3). The *unconfirmed*
 * readings of the vendor page are settings with the best-known default: `keyMode`,
 * `fragmentLengthMode`, `txamtUnit` and `refundOrderId`.
 */
import { z } from 'zod/mini';
import { DEFAULT_POS_KEY } from './cipher';

/** NOTES.md §3 `channel`. */
export const CHANNELS = [
	'card_payment',
	'wx',
	'alipay',
	'payme',
	'union',
	'fps',
	'octopus',
	'unionpay_card',
	'amex_card'
] as const;
export type Channel = (typeof CHANNELS)[number];

const flag = z.union([z.boolean(), z.literal(0), z.literal(1), z.enum(['0', '1'])]);
const toBit = (value: z.infer<typeof flag>): 0 | 1 =>
	value === true || value === 1 || value === '1' ? 1 : 0;

export const haojinSettingsSchema = z.object({
	posKey: z._default(z.string().check(z.trim()), DEFAULT_POS_KEY),
	keyMode: z._default(z.enum(['ascii256', 'hex128']), 'ascii256'),
	channel: z._default(z.enum(CHANNELS), 'card_payment'),
	/** Vendor page §3.1 `camera_id`: 0 back (default), 1 front, for scanning the customer's code. */
	cameraId: z.optional(z.pipe(z.coerce.number(), z.union([z.literal(0), z.literal(1)]))),
	/** Vendor page §3.1 `scan_type`: QRCODE_PAY (customer scans) or SCAN_PAY (terminal scans). */
	scanType: z.optional(z.enum(['QRCODE_PAY', 'SCAN_PAY'])),
	/** Vendor page §3.1 `wait_card_timeout`, seconds (terminal default 120). */
	waitCardTimeoutS: z._default(
		z.pipe(z.coerce.number(), z.int()).check(z.gte(1)).check(z.lte(600)),
		120
	),
	/** Vendor page 4.33.24 `moveToBack`: return the terminal to its home screen afterwards. */
	moveToBack: z.pipe(z._default(flag, 1), z.transform(toBit)),
	fragmentLengthMode: z._default(z.enum(['whole', 'fragment']), 'whole'),
	txamtUnit: z._default(z.enum(['minor', 'major']), 'minor'),
	/**
	 * The refund field `orderId` is "the QFPay transaction number" in one table and "the same as
	 * out_trade_no" in another: default to our order number, optionally the terminal's reference.
	 */
	refundOrderId: z._default(z.enum(['merchantOrderNo', 'reference']), 'merchantOrderNo'),
	baudRate: z._default(z.pipe(z.coerce.number(), z.int()).check(z.positive()), 9600)
});

export type HaojinSettings = z.output<typeof haojinSettingsSchema>;

export type SettingsResult =
	{ ok: true; settings: HaojinSettings } | { ok: false; message: string };

export function haojinSettings(params: Record<string, unknown>): SettingsResult {
	const result = haojinSettingsSchema.safeParse(params);
	if (result.success) return { ok: true, settings: result.data };
	const issue = result.error.issues[0];
	const where = issue?.path.join('.') || 'settings';
	return { ok: false, message: `Haojin terminal setting "${where}" is invalid: ${issue?.message}` };
}
