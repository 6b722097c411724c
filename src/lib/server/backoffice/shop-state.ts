/**
 * The server's copy of the shop from the database (issue 13). `refresh()` costs one small query
 * (the profile's revision) and re-reads the rest only when another request, or another instance,
 * changed it; the guard calls it on every API request, so a disabled cashier or a new terminal
 * counts at once everywhere.
 */
import type { ConfigFile, PosConfig } from '../config';
import type { ShopProfile, ShopSnapshot } from '../store/shop-store';
import type { Store } from '../store/types';

export interface ShopBase {
	sessionSecret: string;
	/** POS_PAIRING_CODE: when set, it pairs the first till instead of the stored code. */
	pairingCodeOverride?: string;
	/** The seed's tax block, for the catalog's taxes to take over (not kept in the database). */
	tax?: ConfigFile['tax'];
}

/** What the server runs on before setup: nobody can sign in, nothing is provisioned. */
function emptyConfig(base: ShopBase): PosConfig {
	return {
		storeName: 'POS',
		currency: 'USD',
		devicePrefix: 'POS',
		pairingCode: base.pairingCodeOverride ?? '',
		pairingCodeHash: null,
		sessionSecret: base.sessionSecret,
		demo: false,
		staff: [],
		terminals: []
	};
}

export function configFromSnapshot(snapshot: ShopSnapshot, base: ShopBase): PosConfig {
	const { profile } = snapshot;
	return {
		storeName: profile.name,
		currency: profile.currency,
		devicePrefix: profile.devicePrefix,
		pairingCode: base.pairingCodeOverride ?? '',
		pairingCodeHash: snapshot.pairingCodeHash,
		sessionSecret: base.sessionSecret,
		demo: profile.demo,
		staff: snapshot.staff
			.filter((member) => member.active)
			.map(({ id, name, role, pinHash }) => ({ id, name, role, pinHash })),
		terminals: snapshot.terminals,
		tax: base.tax,
		offlineLimits: profile.offlineLimits
	};
}

export class ShopState {
	readonly #store: Store;
	readonly #base: ShopBase;
	#snapshot: ShopSnapshot | null = null;
	#config: PosConfig;

	constructor(store: Store, base: ShopBase) {
		this.#store = store;
		this.#base = base;
		this.#config = emptyConfig(base);
	}

	static async load(store: Store, base: ShopBase): Promise<ShopState> {
		const state = new ShopState(store, base);
		await state.refresh();
		return state;
	}

	/** True once setup (or the seed) created the shop. */
	get exists(): boolean {
		return this.#snapshot !== null;
	}

	get config(): PosConfig {
		return this.#config;
	}

	get profile(): ShopProfile | null {
		return this.#snapshot?.profile ?? null;
	}

	async refresh(): Promise<void> {
		const revision = await this.#store.shop.revision();
		if (revision === null) {
			this.#snapshot = null;
			this.#config = emptyConfig(this.#base);
			return;
		}
		if (revision === this.#snapshot?.revision) return;
		const snapshot = await this.#store.shop.snapshot();
		if (!snapshot) return;
		this.#snapshot = snapshot;
		this.#config = configFromSnapshot(snapshot, this.#base);
	}
}
