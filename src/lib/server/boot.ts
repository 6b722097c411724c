/**
 * The process's runtime, built on first use from the environment the caller passes in (routes and
 * hooks pass `$env/dynamic/private`).
 *
 * The shop lives in the database (issue 13). `POS_CONFIG`, when set, is a seed imported once into
 * a database without a shop; with neither, the server waits for the setup screen.
 *
 * Environment: POS_CONFIG, POS_DATA_DIR, DATABASE_URL, POS_PAIRING_CODE, POS_SESSION_SECRET,
 * IOT Pay's IOTPAY_* (see `iotpay/settings.ts`) and the CodePay cloud rail's CODEPAY_* (see
 * `codepay-cloud/cloud-setup.ts`).
 */
import { seedCatalogOnFirstStart } from './catalog/first-start';
import { importSeed, shopBase } from './backoffice/seed';
import { ShopState } from './backoffice/shop-state';
import { setUpCloudRail } from './codepay-cloud/cloud-setup';
import { loadSeed } from './config';
import { IotPaySales } from './iotpay/sales';
import { readSettings } from './iotpay/settings';
import { createRuntime, type Runtime } from './runtime';
import { DEFAULT_DATA_DIR, getStore } from './store';

type Env = Record<string, string | undefined>;

let pending: Promise<Runtime> | null = null;

export function getRuntime(env: Env): Promise<Runtime> {
	pending ??= boot(env).catch((error: unknown) => {
		pending = null;
		throw error;
	});
	return pending;
}

async function boot(env: Env): Promise<Runtime> {
	const dataDir = env.POS_DATA_DIR || DEFAULT_DATA_DIR;
	const store = await getStore({ databaseUrl: env.DATABASE_URL, dataDir });
	const seed = await loadSeed(env);
	// A generated session secret is kept in the store itself (see `secrets.ts`).
	const base = await shopBase({
		env,
		file: seed?.file ?? null,
		keepSecret: (fresh) => store.ensureSecret('session', fresh, Date.now())
	});
	if (seed && (await importSeed(store, seed, Date.now()))) {
		console.log(`POS server: the shop was imported from ${seed.path}.`);
	}
	const shop = await ShopState.load(store, base);
	if (!shop.exists) {
		console.log('POS server: no shop yet. Open the POS in a browser to set it up.');
	}
	const config = shop.config;
	if (config.demo && env.NODE_ENV === 'production') {
		console.warn(
			'POS server: running with the demo configuration (known PINs and pairing code). Set POS_CONFIG.'
		);
	}
	// The catalog's seed is named by the seed file (it is not part of the shop kept in the database).
	const catalogSeed = seed?.file.catalogSeed ?? config.catalogSeed;
	await seedCatalogOnFirstStart(store, { ...config, catalogSeed }, Date.now());
	const iotpaySettings = readSettings(env);
	if (!iotpaySettings.ok && config.terminals.some((t) => t.rail === 'iotpay-pax')) {
		console.warn(`POS server: ${iotpaySettings.message}`);
	}
	return createRuntime({
		shop,
		store,
		iotpay: new IotPaySales({ settings: iotpaySettings, store, now: Date.now }),
		codepayCloud: setUpCloudRail({ env, store, terminals: () => shop.config.terminals })
	});
}
