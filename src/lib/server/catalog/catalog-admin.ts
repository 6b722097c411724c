/**
 * The back office's catalog changes: each saved in one transaction, then audited (who, what,
 * before, after). A new row gets an id here; a taken SKU or a missing category is a
 * `StoreConflictError` the API answers with 409.
 */
import { randomUUID } from 'node:crypto';
import type {
	CategoryInput,
	ModifierGroupInput,
	ProductInput,
	StoredCategory,
	StoredModifierGroup,
	StoredProduct
} from '$lib/catalog/admin-model';
import type { Store } from '../store/types';
import type { Actor } from './actor';
import { saveAudited } from './catalog-audit';

export function saveCategory(
	store: Store,
	input: CategoryInput,
	actor: Actor,
	now: number
): Promise<StoredCategory> {
	const row: StoredCategory = { ...input, id: input.id ?? randomUUID() };
	return saveAudited(store, 'category', row, (r) => store.catalog.saveCategory(r, now), actor, now);
}

export function saveModifierGroup(
	store: Store,
	input: ModifierGroupInput,
	actor: Actor,
	now: number
): Promise<StoredModifierGroup> {
	const row: StoredModifierGroup = { ...input, id: input.id ?? randomUUID() };
	const save = (r: StoredModifierGroup) => store.catalog.saveModifierGroup(r, now);
	return saveAudited(store, 'modifier_group', row, save, actor, now);
}

export function saveProduct(
	store: Store,
	input: ProductInput,
	actor: Actor,
	now: number
): Promise<StoredProduct> {
	const row: StoredProduct = { ...input, id: input.id ?? randomUUID() };
	return saveAudited(store, 'product', row, (r) => store.catalog.saveProduct(r, now), actor, now);
}
