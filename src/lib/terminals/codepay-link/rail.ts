import { z } from 'zod/mini';
import type { RailDescriptor } from '../rail';
import { flag, numeric, paramsSchema, text } from '../params-schema';
import { KIOSK_PARAM } from './kiosk';

/**
 * Pay by link (issue 11): a hosted checkout of the CodePay cloud gateway, through the POS server
 * (`pay.checkout`, NOTES.md §2); the customer pays on the gateway's page from a QR code, or this
 * till's browser goes there in kiosk mode.
 */
export const codepayLinkRail: RailDescriptor<'codepay-link'> = {
	id: 'codepay-link',
	label: 'Pay by link',
	needs: { server: true },
	params: paramsSchema({
		expiresSeconds: numeric,
		allowOptions: text,
		gatewayBrand: z.enum(['codepay', 'paycloud']),
		storeNo: text,
		[KIOSK_PARAM]: flag
	}),
	// Whether this till is a self-service kiosk is the till's own setting.
	deviceLocalParams: [KIOSK_PARAM],
	settings: async () => (await import('./LinkFields.svelte')).default,
	pending: async () => (await import('./LinkPending.svelte')).default,
	load: async () => {
		const { PayByLinkDriver } = await import('./link-driver');
		return {
			createDriver: (config, options) =>
				new PayByLinkDriver(config, {
					deviceToken: options.deviceToken,
					staffSession: options.staffSession
				})
		};
	}
};
