import { z } from 'zod/mini';
import type { RailDescriptor } from '../rail';
import { flag, numeric, paramsSchema, text } from '../params-schema';

/** CodePay Register and WiseCashier on the shop's LAN, by WebSocket from the browser (NOTES.md §1). */
export const codepayLanRail: RailDescriptor<'codepay-lan'> = {
	id: 'codepay-lan',
	label: 'CodePay Register (LAN)',
	needs: {},
	params: paramsSchema({
		host: text,
		port: numeric,
		appId: text,
		profile: z.enum(['codepay', 'wisecashier']),
		tipMode: z.enum(['pos', 'terminal']),
		confirmOnTerminal: flag,
		signature: flag,
		receiptPrintMode: z.union([z.string(), z.number()]),
		requireTerminalAuth: flag,
		relayUrl: text,
		relayOnly: flag,
		saleTimeoutSeconds: numeric,
		queryTimeoutSeconds: numeric
	}),
	// Sale with cashback is `trans_type` 11; fuel lines are WiseCashier's `forecourt_data`.
	saleExtras: { cashback: true, fuelLines: true },
	addOnTill: () => ({}),
	load: async () => {
		const { CodePayLanDriver } = await import('./lan-driver');
		const { readLocalNetworkAccess, watchLocalNetworkAccess } =
			await import('./local-network-access');
		return {
			// Direct or through the relay depends on the browser's Local Network Access now; when
			// it changes, the driver asks the till to make it anew (connection-path.ts).
			createDriver: async (config, options) =>
				new CodePayLanDriver(config, {
					relayToken: options.deviceToken,
					relaySession: options.staffSession,
					localNetwork: await readLocalNetworkAccess(),
					watchLocalNetwork: (changed) =>
						watchLocalNetworkAccess(() => void readLocalNetworkAccess().then(changed))
				})
		};
	},
	settings: async () => (await import('./CodePayLanFields.svelte')).default
};
