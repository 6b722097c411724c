import type { RailDescriptor } from '../rail';
import { flag, paramsSchema, text } from '../params-schema';

/**
 * Card entry for phone orders (card not present): CodePay's merchant-hosted checkout through the
 * POS server, the card encrypted in the browser with the gateway's public key (NOTES.md §2).
 * `billingAddress`: the form asks for the cardholder's address (when the gateway's account needs
 * it for address verification).
 */
export const codepayCardRail: RailDescriptor<'codepay-card'> = {
	id: 'codepay-card',
	label: 'Card entry (phone orders)',
	needs: { server: true },
	params: paramsSchema({ storeNo: text, merchantNo: text, billingAddress: flag }),
	load: async () => {
		const { CodePayCardDriver } = await import('./card-driver');
		return {
			createDriver: (config, options) =>
				new CodePayCardDriver(config, {
					deviceToken: options.deviceToken,
					staffSession: options.staffSession
				})
		};
	},
	saleForm: async () => (await import('./CardEntryForm.svelte')).default
};
