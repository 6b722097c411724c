/**
 * The process's hosted checkout, made once per cloud rail: it needs nothing the cloud rail does
 * not already hold (the signed gateway client, the order store, the query and the poller).
 */
import type { CloudRail } from '../codepay-cloud/cloud-rail';
import { HostedCheckout } from './hosted-checkout';

const made = new WeakMap<CloudRail, HostedCheckout>();

export function hostedCheckoutOf(rail: CloudRail, now: () => number): HostedCheckout {
	let hosted = made.get(rail);
	if (!hosted) {
		hosted = new HostedCheckout({ rail, now });
		made.set(rail, hosted);
	}
	return hosted;
}
