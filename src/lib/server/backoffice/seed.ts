/**
 * `POS_CONFIG` as a seed (issue 13): imported once, into a database that has no shop yet (profile,
 * staff, terminals). A server restarted with the same or another file keeps what the database
 * holds. Terminal `secrets` are not imported: credentials stay in the server's environment.
 */
import { ConfigError, type ConfigFile } from '../config';
import { resolveSessionSecret, type SecretKeeper } from '../secrets';
import { pairingCodeHash } from '../auth/pairing-codes';
import type { NewShop } from '../store/shop-store';
import type { Store } from '../store/types';
import type { ShopBase } from './shop-state';

/** Locale and time zone of a seeded shop: a seed file predates them; the back office sets them. */
const SEED_LOCALE = 'en-US';
const SEED_TIME_ZONE = 'UTC';

export function shopFromSeed(file: ConfigFile, source: string, now: number): NewShop {
	return {
		profile: {
			name: file.storeName,
			address: '',
			taxNumber: '',
			currency: file.currency,
			locale: SEED_LOCALE,
			timeZone: SEED_TIME_ZONE,
			receiptHeader: '',
			receiptFooter: '',
			devicePrefix: file.devicePrefix ?? 'POS',
			demo: file.demo,
			...(file.offlineLimits ? { offlineLimits: file.offlineLimits } : {})
		},
		pairingCodeHash: pairingCodeHash(file.pairingCode),
		staff: file.staff.map((member) => ({ ...member, active: true })),
		terminals: file.terminals.map(({ id, name, rail, currency, params }) => ({
			id,
			name,
			rail,
			currency,
			params
		})),
		source,
		now
	};
}

/** Imports the seed when the database has no shop; true when this call created it. */
export async function importSeed(
	store: Store,
	seed: { path: string; file: ConfigFile },
	now: number
): Promise<boolean> {
	if ((await store.shop.revision()) !== null) return false;
	return store.shop.create(shopFromSeed(seed.file, seed.path, now));
}

/** The session secret and pairing-code override from the environment (and the seed's file). */
export async function shopBase(options: {
	env: Record<string, string | undefined>;
	file: ConfigFile | null;
	keepSecret: SecretKeeper | null;
}): Promise<ShopBase> {
	const { env, file } = options;
	const override = env.POS_PAIRING_CODE;
	if (override !== undefined && override !== '' && override.length < 4) {
		throw new ConfigError('POS_PAIRING_CODE must be at least 4 characters.');
	}
	const envSecret = env.POS_SESSION_SECRET;
	if (envSecret !== undefined && envSecret !== '' && envSecret.length < 16) {
		throw new ConfigError('POS_SESSION_SECRET must be at least 16 characters.');
	}
	const sessionSecret = await resolveSessionSecret({
		configured: envSecret || file?.sessionSecret,
		keep: options.keepSecret
	});
	return {
		sessionSecret,
		...(override ? { pairingCodeOverride: override } : {}),
		...(file?.tax ? { tax: file.tax } : {})
	};
}
