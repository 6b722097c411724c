import type { RailDescriptor } from '../rail';
import { paramsSchema, text } from '../params-schema';

/** IOT Pay `CC_PAX` semi-integrated terminals, through the POS server (NOTES.md §4). */
export const iotpayPaxRail: RailDescriptor<'iotpay-pax'> = {
	id: 'iotpay-pax',
	label: 'IOT Pay CC_PAX',
	needs: { server: true },
	// `deviceName` is sent as `device`, `jobNo` is the PAX's login name (issue 12).
	params: paramsSchema({ deviceName: text, jobNo: text }),
	load: async () => {
		const { IotPayPaxDriver } = await import('./iotpay-driver');
		return {
			createDriver: (config, options) =>
				new IotPayPaxDriver(config, {
					deviceToken: options.deviceToken,
					staffSession: options.staffSession
				})
		};
	}
};
