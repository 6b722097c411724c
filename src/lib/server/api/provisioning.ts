import { json } from '@sveltejs/kit';
import { publicTerminals } from '../config';
import { deviceNotPaired, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import type { ShopProfile } from '../store/shop-store';

const receiptProfile = (p: ShopProfile) => ({
	address: p.address,
	taxNumber: p.taxNumber,
	locale: p.locale,
	timeZone: p.timeZone,
	receiptHeader: p.receiptHeader,
	receiptFooter: p.receiptFooter
});

/**
 * `GET /api/config`: what a freshly paired tablet needs, so a fleet is not set up by hand. Never
 * the pairing code, the session secret, PIN hashes or terminal secrets.
 */
export async function provisioning(rt: Runtime, event: ApiEvent): Promise<Response> {
	const id = event.locals.device?.id;
	const device = id ? await rt.store.getDevice(id) : null;
	if (!device) return deviceNotPaired();
	return json({
		storeName: rt.config.storeName,
		currency: rt.config.currency,
		deviceId: device.id,
		// Each tablet gets its own prefix, so order numbers stay unique across the fleet.
		devicePrefix: `${rt.config.devicePrefix}${device.number}`,
		terminals: publicTerminals(rt.config),
		demo: rt.config.demo,
		// What the till may take by card while it cannot reach the server; none when unset.
		offlineLimits: rt.config.offlineLimits ?? {},
		// What the receipt shows of the store (issue 13); absent for a fixed test config.
		...(rt.profile ? { store: receiptProfile(rt.profile) } : {})
	});
}
