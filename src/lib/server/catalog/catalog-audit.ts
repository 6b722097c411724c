/** Every catalog and tax change in the audit log: who, what, before and after. */
import type { Store } from '../store/types';
import type { Actor } from './actor';

export interface CatalogChange {
	deviceId: string | null;
	staffId: string;
	staffName: string;
	/** `product`, `category`, `modifier_group`, `tax_rate`, `default_tax_rate`, `import`. */
	what: string;
	id: string | null;
	before: unknown;
	after: unknown;
	extra?: Record<string, unknown>;
}

export async function auditCatalogChange(store: Store, at: number, change: CatalogChange) {
	await store.recordAudit({
		at,
		kind: 'catalog_change',
		deviceId: change.deviceId,
		staffId: change.staffId,
		detail: {
			by: { id: change.staffId, name: change.staffName },
			what: change.what,
			id: change.id,
			before: change.before ?? null,
			after: change.after ?? null,
			...change.extra
		}
	});
}

/** Saves `row` with `save` (which answers the row as it was before, or null), then audits it. */
export async function saveAudited<T extends { id: string }>(
	store: Store,
	what: string,
	row: T,
	save: (row: T) => Promise<unknown>,
	actor: Actor,
	now: number
): Promise<T> {
	const before = await save(row);
	await auditCatalogChange(store, now, {
		deviceId: actor.deviceId,
		staffId: actor.staffId,
		staffName: actor.name,
		what,
		id: row.id,
		before,
		after: row
	});
	return row;
}
