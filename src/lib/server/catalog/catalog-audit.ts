/** Every catalog and tax change in the audit log: who, what, before and after. */
import type { Store } from '../store/types';

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
