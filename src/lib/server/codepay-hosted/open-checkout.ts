/**
 * Opening a pay-by-link or kiosk checkout: the terminal's settings (validity, payment options,
 * the gateway's brand) and the order's lines made into a `pay.checkout` (or, on a PayCloud-branded
 * gateway, `pay.paycloud.checkout`) through the hosted checkout's one `open`.
 */
import type { TerminalConfig } from '$lib/terminals/driver';
import { checkoutFields, type CheckoutLine } from './checkout-fields';
import { checkoutSettingsOf } from './checkout-settings';
import type { HostedCheckout, Opened } from './hosted-checkout';
import { newReturnRef } from './return-ref';
import { checkoutDataSchema } from './schemas';

export interface CheckoutRequest {
	kind: 'link' | 'kiosk';
	deviceId: string;
	terminal: TerminalConfig;
	merchantOrderNo: string;
	amount: number;
	currency: string;
	lines: readonly CheckoutLine[];
	description?: string;
	notifyUrl: string;
	/** The POS's return page; the order's opaque reference is added to it as `?ref=`. */
	returnBase: string;
}

export function openCheckout(
	hosted: HostedCheckout,
	request: CheckoutRequest
): Promise<Opened<{ pay_url: string }>> {
	const settings = checkoutSettingsOf(request.terminal.params);
	const { ref, hash } = newReturnRef();
	const returnUrl = `${request.returnBase}?ref=${ref}`;
	return hosted.open({
		kind: request.kind,
		deviceId: request.deviceId,
		terminalId: request.terminal.id,
		merchantOrderNo: request.merchantOrderNo,
		amount: request.amount,
		currency: request.currency,
		expiresS: settings.expiresS,
		returnRef: hash,
		method: settings.method,
		fields: checkoutFields({
			merchantOrderNo: request.merchantOrderNo,
			amount: request.amount,
			currency: request.currency,
			expiresS: settings.expiresS,
			description: request.description ?? 'POS sale',
			lines: request.lines,
			allowOptions: settings.allowOptions,
			returnUrl,
			notifyUrl: request.notifyUrl,
			storeNo: settings.storeNo
		}),
		schema: checkoutDataSchema,
		pageOf: (data) => data.pay_url
	});
}
