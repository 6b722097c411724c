/**
 * A till's catalog brought up to date with the server's answer, pure: a full answer replaces it;
 * changes replace the rows they name (by id) and drop the removed ones, keeping the rest in place.
 */
import type { CatalogChanges, Category, ModifierGroup, Product } from './types';

export interface TillCatalog {
	currency: string;
	/** The server's catalog version this copy is at (0: none yet). */
	version: number;
	categories: Category[];
	products: Product[];
	modifierGroups: ModifierGroup[];
}

function merge<T extends { id: string }>(
	rows: readonly T[],
	changed: readonly T[],
	removed: readonly string[]
): T[] {
	if (changed.length === 0 && removed.length === 0) return rows as T[];
	const gone = new Set(removed);
	const fresh = new Map(changed.map((row) => [row.id, row]));
	const out: T[] = [];
	for (const row of rows) {
		if (gone.has(row.id)) continue;
		const next = fresh.get(row.id);
		out.push(next ?? row);
		fresh.delete(row.id);
	}
	out.push(...fresh.values());
	return out;
}

const byOrder = (a: Category, b: Category) => (a.order ?? 0) - (b.order ?? 0);

export function applyChanges(current: TillCatalog | null, changes: CatalogChanges): TillCatalog {
	if (changes.full || !current) {
		return {
			currency: changes.currency,
			version: changes.version,
			categories: [...changes.categories].sort(byOrder),
			products: changes.products,
			modifierGroups: changes.modifierGroups
		};
	}
	return {
		currency: changes.currency,
		version: changes.version,
		categories: merge(current.categories, changes.categories, changes.removed.categories).sort(
			byOrder
		),
		products: merge(current.products, changes.products, changes.removed.products),
		modifierGroups: merge(
			current.modifierGroups,
			changes.modifierGroups,
			changes.removed.modifierGroups
		)
	};
}
