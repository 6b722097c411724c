/**
 * Everything a request handler needs, built once per process (see `boot.ts`) or per test. Passing
 * it in keeps handlers free of module state and of `$env`.
 */
import { DEFAULT_LIMITS, type Limits } from './auth/limits';
import type { CloudRail } from './codepay-cloud/cloud-rail';
import type { PosConfig } from './config';
import type { IotPaySales } from './iotpay/sales';
import type { Store } from './store/types';

export interface Runtime {
	config: PosConfig;
	store: Store;
	now: () => number;
	/** How many wrong PINs and pairing codes lock what, for how long (counted in the store). */
	limits: Limits;
	/** IOT Pay `CC_PAX` sales the server owns (issue 12); absent where nothing set it up (tests). */
	iotpay?: IotPaySales;
	/** The CodePay cloud rail, or why it is not configured (issue 10). */
	codepayCloud: CloudRailSetup;
}

export type CloudRailSetup =
	| {
			configured: true;
			rail: CloudRail;
			notifyUrl?: string;
			/** Where hosted checkouts send the customer back (`CODEPAY_RETURN_URL`, issue 11). */
			returnUrl?: string;
	  }
	| { configured: false; missing: string[] };

export function createRuntime(options: {
	config: PosConfig;
	store: Store;
	now?: () => number;
	limits?: Limits;
	iotpay?: IotPaySales;
	codepayCloud?: CloudRailSetup;
}): Runtime {
	const now = options.now ?? Date.now;
	return {
		config: options.config,
		store: options.store,
		now,
		limits: options.limits ?? DEFAULT_LIMITS,
		iotpay: options.iotpay,
		codepayCloud: options.codepayCloud ?? { configured: false, missing: ['CODEPAY_*'] }
	};
}
