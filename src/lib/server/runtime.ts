/**
 * Everything a request handler needs, built once per process (see `boot.ts`) or per test. Passing
 * it in keeps handlers free of module state and of `$env`.
 */
import { DEFAULT_LIMITS, type Limits } from './auth/limits';
import type { CloudRail } from './codepay-cloud/cloud-rail';
import type { PosConfig } from './config';
import type { IotPaySales } from './iotpay/sales';
import type { ShopState } from './backoffice/shop-state';
import type { ShopProfile } from './store/shop-store';
import type { Store } from './store/types';

export interface Runtime {
	/** The shop as the server runs it now: from the database (issue 13), or a test's fixed one. */
	readonly config: PosConfig;
	/** The shop's profile (address, tax number, receipt texts); null before setup or in tests. */
	readonly profile: ShopProfile | null;
	/** False until setup (or the seed) created the shop; a fixed config always has one. */
	readonly hasShop: boolean;
	/** Re-reads the shop from the database when it changed (one small query when it did not). */
	refresh(): Promise<void>;
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
	/** A fixed configuration (tests); else `shop`, the database's. */
	config?: PosConfig;
	shop?: ShopState;
	store: Store;
	now?: () => number;
	limits?: Limits;
	iotpay?: IotPaySales;
	codepayCloud?: CloudRailSetup;
}): Runtime {
	const now = options.now ?? Date.now;
	const { shop, config } = options;
	if (!shop && !config) throw new Error('A runtime needs a config or the shop state.');
	return {
		get config() {
			return shop ? shop.config : (config as PosConfig);
		},
		get profile() {
			return shop?.profile ?? null;
		},
		get hasShop() {
			return shop ? shop.exists : true;
		},
		refresh: () => shop?.refresh() ?? Promise.resolve(),
		store: options.store,
		now,
		limits: options.limits ?? DEFAULT_LIMITS,
		iotpay: options.iotpay,
		codepayCloud: options.codepayCloud ?? { configured: false, missing: ['CODEPAY_*'] }
	};
}
