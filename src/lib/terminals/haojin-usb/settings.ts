/**
 * Haojin terminal settings, read from `TerminalConfig.params` (NOTES.md §3). The *unconfirmed*
 * readings of the vendor page are settings with the best-known default: `keyMode`,
 * `fragmentLengthMode`, `txamtUnit` and `refundOrderId`.
 */
import { z } from 'zod';
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
	posKey: z.string().trim().default(DEFAULT_POS_KEY),
	keyMode: z.enum(['ascii256', 'hex128']).default('ascii256'),
	channel: z.enum(CHANNELS).default('card_payment'),
	/** Vendor page §3.1 `camera_id`: 0 back (default), 1 front, for scanning the customer's code. */
	cameraId: z.coerce
		.number()
		.pipe(z.union([z.literal(0), z.literal(1)]))
		.optional(),
	/** Vendor page §3.1 `scan_type`: QRCODE_PAY (customer scans) or SCAN_PAY (terminal scans). */
	scanType: z.enum(['QRCODE_PAY', 'SCAN_PAY']).optional(),
	/** Vendor page §3.1 `wait_card_timeout`, seconds (terminal default 120). */
	waitCardTimeoutS: z.coerce.number().int().min(1).max(600).default(120),
	/** Vendor page 4.33.24 `moveToBack`: return the terminal to its home screen afterwards. */
	moveToBack: flag.default(1).transform(toBit),
	fragmentLengthMode: z.enum(['whole', 'fragment']).default('whole'),
	txamtUnit: z.enum(['minor', 'major']).default('minor'),
	/**
	 * The refund field `orderId` is "the QFPay transaction number" in one table and "the same as
	 * out_trade_no" in another: default to our order number, optionally the terminal's reference.
	 */
	refundOrderId: z.enum(['merchantOrderNo', 'reference']).default('merchantOrderNo'),
	baudRate: z.coerce.number().int().positive().default(9600)
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
