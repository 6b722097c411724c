/**
 * A pay-by-link terminal's settings, from its params in the server's configuration. Pure.
 * - `expiresSeconds`: how long a link can be paid (default 900; 5 s to the spec's 7 days);
 * - `allowOptions`: payment options offered on the page, comma-separated (default: all);
 * - `gatewayBrand`: `paycloud` on a PayCloud-branded gateway, whose hosted checkout method is
 *   `pay.paycloud.checkout` (NOTES.md §2); otherwise `pay.checkout`;
 * - `storeNo`: the store number, when the merchant has several.
 */
import type { MethodKey } from '../codepay-cloud/methods';
import { MAX_EXPIRES_S } from './checkout-fields';

export const DEFAULT_EXPIRES_S = 900;
export const MIN_EXPIRES_S = 5;

export interface CheckoutSettings {
	expiresS: number;
	allowOptions: string[];
	method: Extract<MethodKey, 'hostedCheckout' | 'paycloudCheckout'>;
	storeNo?: string;
}

export function checkoutSettingsOf(
	params: Readonly<Record<string, string | number | boolean | undefined>>
): CheckoutSettings {
	const given = Number(params.expiresSeconds ?? DEFAULT_EXPIRES_S);
	const expiresS = Number.isInteger(given)
		? Math.min(MAX_EXPIRES_S, Math.max(MIN_EXPIRES_S, given))
		: DEFAULT_EXPIRES_S;
	const allowOptions = String(params.allowOptions ?? '')
		.split(',')
		.map((option) => option.trim())
		.filter((option) => /^[A-Za-z0-9+ _-]{1,32}$/.test(option));
	const brand = String(params.gatewayBrand ?? 'codepay').toLowerCase();
	return {
		expiresS,
		allowOptions,
		method: brand === 'paycloud' ? 'paycloudCheckout' : 'hostedCheckout',
		storeNo:
			params.storeNo === undefined || params.storeNo === '' ? undefined : String(params.storeNo)
	};
}
