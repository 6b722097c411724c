/**
 * The back office's catalog changes: each saved in one transaction, then audited (who, what,
 * before, after). A new row gets an id here; a taken SKU or a missing category is a
 * `StoreConflictError` the API answers with 409.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types';
import type { Actor } from './actor';
import { auditCatalogChange } from './catalog-audit';
import type {
	CategoryInput,
	ModifierGroupInput,
	ProductInput,
	StoredCategory,
	StoredModifierGroup,
	StoredProduct
} from '$lib/catalog/admin-model';

const audited = (actor: Actor) => ({
	deviceId: actor.deviceId,
	staffId: actor.staffId,
	staffName: actor.name
});

export async function saveCategory(
	store: Store,
	input: CategoryInput,
	actor: Actor,
	now: number
): Promise<StoredCategory> {
	const category: StoredCategory = { ...input, id: input.id ?? randomUUID() };
	const before = await store.catalog.saveCategory(category, now);
	await auditCatalogChange(store, now, {
		...audited(actor),
		what: 'category',
		id: category.id,
		before,
		after: category
	});
	return category;
}

export async function saveModifierGroup(
	store: Store,
	input: ModifierGroupInput,
	actor: Actor,
	now: number
): Promise<StoredModifierGroup> {
	const group: StoredModifierGroup = { ...input, id: input.id ?? randomUUID() };
	const before = await store.catalog.saveModifierGroup(group, now);
	await auditCatalogChange(store, now, {
		...audited(actor),
		what: 'modifier_group',
		id: group.id,
		before,
		after: group
	});
	return group;
}

export async function saveProduct(
	store: Store,
	input: ProductInput,
	actor: Actor,
	now: number
): Promise<StoredProduct> {
	const product: StoredProduct = { ...input, id: input.id ?? randomUUID() };
	const before = await store.catalog.saveProduct(product, now);
	await auditCatalogChange(store, now, {
		...audited(actor),
		what: 'product',
		id: product.id,
		before,
		after: product
	});
	return product;
}
