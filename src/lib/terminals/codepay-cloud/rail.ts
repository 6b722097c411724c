import type { RailDescriptor } from '../rail';
import { paramsSchema, text } from '../params-schema';

/** CodePay terminals in cloud mode, through the POS server's signed Open API calls (NOTES.md §2). */
export const codepayCloudRail: RailDescriptor<'codepay-cloud'> = {
	id: 'codepay-cloud',
	label: 'CodePay cloud',
	needs: { server: true },
	params: paramsSchema({ terminalSn: text, storeNo: text, merchantNo: text }),
	load: async () => {
		const { CodePayCloudDriver } = await import('./cloud-driver');
		return {
			createDriver: (config, options) =>
				new CodePayCloudDriver(config, {
					deviceToken: options.deviceToken,
					staffSession: options.staffSession
				})
		};
	}
};
