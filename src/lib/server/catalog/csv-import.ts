/**
 * Importing a catalog CSV: `previewImport` plans it against the catalog as it is (nothing is
 * written); `commitImport` writes that same plan in one transaction, provided the catalog did not
 * change since the preview (else the owner previews again rather than confirm what they never saw).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Store } from '../store/types';
import { StaleCatalogError } from './catalog-store';
import type { StoredProduct } from '$lib/catalog/admin-model';
import { planImport, type ImportPlan, type PlannedChange } from './csv-plan';

/** How many added, changed and removed products a preview lists by name (all are counted). */
export const PREVIEW_LIST_LIMIT = 200;

export interface ImportPreview {
	/** Names this file against this catalog version: what a confirmation must send back. */
	previewId: string;
	version: number;
	counts: { added: number; changed: number; removed: number; unchanged: number; errors: number };
	added: { line: number; sku: string; name: string }[];
	changed: { line: number; sku: string; name: string; fields: string[] }[];
	removed: { sku: string; name: string }[];
	newCategories: string[];
	errors: { line: number; reason: string }[];
	keptBecause?: string;
}

const previewIdOf = (text: string, version: number) =>
	createHash('sha256').update(`${version}\n`).update(text).digest('base64url');

function summarise(plan: ImportPlan, version: number, text: string): ImportPreview {
	const brief = ({ line, sku, name }: PlannedChange) => ({ line, sku, name });
	return {
		previewId: previewIdOf(text, version),
		version,
		counts: {
			added: plan.added.length,
			changed: plan.changed.length,
			removed: plan.removed.length,
			unchanged: plan.unchanged,
			errors: plan.errors.length
		},
		added: plan.added.slice(0, PREVIEW_LIST_LIMIT).map(brief),
		changed: plan.changed
			.slice(0, PREVIEW_LIST_LIMIT)
			.map((c) => ({ ...brief(c), fields: c.fields ?? [] })),
		removed: plan.removed.slice(0, PREVIEW_LIST_LIMIT).map(({ sku, name }) => ({ sku, name })),
		newCategories: plan.newCategories.map((c) => c.name),
		errors: plan.errors,
		...(plan.keptBecause ? { keptBecause: plan.keptBecause } : {})
	};
}

async function plan(store: Store, currency: string, text: string) {
	const catalog = await store.catalog.adminView(currency);
	return { catalog, plan: planImport(text, catalog, randomUUID) };
}

export async function previewImport(
	store: Store,
	currency: string,
	text: string
): Promise<ImportPreview> {
	const { catalog, plan: planned } = await plan(store, currency, text);
	return summarise(planned, catalog.version, text);
}

export type CommitResult =
	| { ok: true; preview: ImportPreview; version: number; plan: ImportPlan }
	| { ok: false; reason: 'stale' | 'nothing'; preview: ImportPreview };

/** Writes the good lines of `text` when `previewId` is still the preview of it. */
export async function commitImport(
	store: Store,
	currency: string,
	text: string,
	previewId: string,
	now: number
): Promise<CommitResult> {
	const { catalog, plan: planned } = await plan(store, currency, text);
	const preview = summarise(planned, catalog.version, text);
	if (preview.previewId !== previewId) return { ok: false, reason: 'stale', preview };
	const products: StoredProduct[] = [...planned.added, ...planned.changed].map((c) => c.after);
	if (!products.length && !planned.removed.length && !planned.newCategories.length) {
		return { ok: false, reason: 'nothing', preview };
	}
	try {
		const version = await store.catalog.applyImport(
			{
				categories: planned.newCategories,
				products,
				deactivate: planned.removed.map((p) => p.id)
			},
			catalog.version,
			now
		);
		return { ok: true, preview, version, plan: planned };
	} catch (error) {
		if (error instanceof StaleCatalogError) return { ok: false, reason: 'stale', preview };
		throw error;
	}
}

/** A seed file's import at first start: planned and written at once. */
export async function importCsvText(
	store: Store,
	currency: string,
	text: string,
	now: number
): Promise<ImportPreview> {
	const preview = await previewImport(store, currency, text);
	if (preview.errors.length) return preview;
	await commitImport(store, currency, text, preview.previewId, now);
	return preview;
}
