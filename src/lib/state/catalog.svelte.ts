import Dexie, { type EntityTable } from 'dexie';
import { apiCall, type Credentials } from '$lib/api/client';
import { applyChanges, type TillCatalog } from '$lib/catalog/apply-changes';
import { CatalogIndex } from '$lib/catalog/search';
import {
	catalogChangesSchema,
	type Category,
	type ModifierGroup,
	type Product
} from '$lib/catalog/types';

interface CachedCatalog extends Omit<TillCatalog, 'version' | 'modifierGroups'> {
	key: 'catalog';
	fetchedAt: number;
	/** Absent in a cache written before catalog versions (issue 13). */
	version?: number;
	modifierGroups?: TillCatalog['modifierGroups'];
}

/** A small IndexedDB cache so the catalog is there when the server is not. */
class CatalogCacheDb extends Dexie {
	entries!: EntityTable<CachedCatalog, 'key'>;
	constructor() {
		super('pos-catalog-cache');
		this.version(1).stores({ entries: 'key' });
	}
}

/**
 * The till's catalog: the last one received, kept in IndexedDB so the till sells offline, and
 * brought up to date with only what changed since its version (`GET /api/catalog?since=`).
 */
export class Catalog {
	#categories = $state.raw<Category[]>([]);
	#products = $state.raw<Product[]>([]);
	#groups = $state.raw<ModifierGroup[]>([]);
	#currency = $state('USD');
	#version = 0;
	#fetchedAt = $state<number | null>(null);
	#index = $derived(new CatalogIndex(this.#products));
	#groupsById = $derived(new Map(this.#groups.map((g) => [g.id, g])));
	#db: CatalogCacheDb | null = null;
	#refreshing: Promise<void> | null = null;

	get categories(): Category[] {
		return this.#categories;
	}
	get products(): Product[] {
		return this.#products;
	}
	get modifierGroups(): ReadonlyMap<string, ModifierGroup> {
		return this.#groupsById;
	}
	get currency(): string {
		return this.#currency;
	}
	get fetchedAt(): number | null {
		return this.#fetchedAt;
	}
	get index(): CatalogIndex {
		return this.#index;
	}
	get version(): number {
		return this.#version;
	}

	#apply(data: TillCatalog): void {
		this.#currency = data.currency;
		this.#version = data.version;
		this.#categories = data.categories;
		this.#products = data.products;
		this.#groups = data.modifierGroups;
	}

	#current(): TillCatalog | null {
		if (this.#fetchedAt === null) return null;
		return {
			currency: this.#currency,
			version: this.#version,
			categories: this.#categories,
			products: this.#products,
			modifierGroups: this.#groups
		};
	}

	/** Loads the cached catalog at once, then refreshes it from the server when reachable. */
	async load(credentials: Credentials): Promise<void> {
		this.#db ??= new CatalogCacheDb();
		const cached = await this.#db.entries.get('catalog');
		if (cached) {
			// A cache from before versions sells as it is until a full download (since 0) replaces it.
			this.#apply({
				...cached,
				version: cached.version ?? 0,
				modifierGroups: cached.modifierGroups ?? []
			});
			this.#fetchedAt = cached.fetchedAt;
		}
		try {
			await this.refresh(credentials);
		} catch (error) {
			if (!cached) throw error;
		}
	}

	/** Asks the server for what changed since this till's version; one request at a time. */
	refresh(credentials: Credentials): Promise<void> {
		this.#refreshing ??= this.#refresh(credentials).finally(() => (this.#refreshing = null));
		return this.#refreshing;
	}

	async #refresh(credentials: Credentials): Promise<void> {
		const current = this.#current();
		const since = current?.version ?? 0;
		const changes = await apiCall(`/api/catalog?since=${since}`, catalogChangesSchema, {
			credentials
		});
		const unchanged = current && !changes.full && changes.version === current.version;
		if (unchanged) return;
		const next = applyChanges(current, changes);
		this.#apply(next);
		this.#fetchedAt = Date.now();
		await this.#db?.entries.put({
			key: 'catalog',
			...$state.snapshot(next),
			fetchedAt: this.#fetchedAt
		});
	}
}
