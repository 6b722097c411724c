import type { RailDescriptor } from '../rail';
import { paramsSchema, text } from '../params-schema';

/** IOT Pay `CC_PAX` semi-integrated terminals, through the POS server (NOTES.md §4). */
export const iotpayPaxRail: RailDescriptor<'iotpay-pax'> = {
	id: 'iotpay-pax',
	label: 'IOT Pay CC_PAX',
	needs: { server: true },
	params: paramsSchema({ deviceName: text, jobNo: text }),
	load: async () => {
		throw new Error('The IOT Pay rail is not available in this version.');
	}
};
