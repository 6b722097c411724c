import Dexie, { type EntityTable } from 'dexie';
import { apiCall, type Credentials } from '$lib/api/client';
import { CatalogIndex } from '$lib/catalog/search';
import { catalogSchema, type Category, type Product } from '$lib/catalog/types';

interface CachedCatalog {
	key: 'catalog';
	currency: string;
	categories: Category[];
	products: Product[];
	fetchedAt: number;
}

/** A small IndexedDB cache so the catalog is there when the server is not. */
class CatalogCacheDb extends Dexie {
	entries!: EntityTable<CachedCatalog, 'key'>;
	constructor() {
		super('pos-catalog-cache');
		this.version(1).stores({ entries: 'key' });
	}
}

export class Catalog {
	categories = $state<Category[]>([]);
	products = $state.raw<Product[]>([]);
	currency = $state('USD');
	fetchedAt = $state<number | null>(null);
	index = $derived(new CatalogIndex(this.products));
	#db: CatalogCacheDb | null = null;

	#apply(data: { currency: string; categories: Category[]; products: Product[] }): void {
		this.currency = data.currency;
		this.categories = data.categories;
		this.products = data.products;
	}

	/** Loads the cached catalog at once, then refreshes it from the server when reachable. */
	async load(credentials: Credentials): Promise<void> {
		this.#db ??= new CatalogCacheDb();
		const cached = await this.#db.entries.get('catalog');
		if (cached) {
			this.#apply(cached);
			this.fetchedAt = cached.fetchedAt;
		}
		try {
			const fresh = await apiCall('/api/catalog', catalogSchema, { credentials });
			this.#apply(fresh);
			this.fetchedAt = Date.now();
			await this.#db.entries.put({ key: 'catalog', ...fresh, fetchedAt: this.fetchedAt });
		} catch (error) {
			if (!cached) throw error;
		}
	}
}
