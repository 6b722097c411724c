/**
 * The back office's catalog API (issue 13), every route for a manager or the owner only
 * (`requireBackOffice`): `GET /api/backoffice/catalog` (everything, inactive too),
 * `POST /api/backoffice/catalog/{products|categories|modifier-groups}` (save one; no id adds),
 * the CSV import (preview, then confirm) and export.
 */
import { json } from '@sveltejs/kit';
import type { z } from 'zod/mini';
import { toCsv } from '$lib/catalog/csv';
import { auditCatalogChange } from '../catalog/catalog-audit';
import { saveCategory, saveModifierGroup, saveProduct } from '../catalog/catalog-admin';
import { categoryInput, modifierGroupInput, productInput } from '$lib/catalog/admin-model';
import { CSV_COLUMNS, toCsvLine } from '../catalog/csv-columns';
import { commitImport, previewImport } from '../catalog/csv-import';
import { requireBackOffice } from '../catalog/admin-guard';
import { bodyTooLarge, jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { StoreConflictError } from '../store/types';
import type { Actor } from '../catalog/actor';

export async function catalogAdminView(rt: Runtime, event: ApiEvent): Promise<Response> {
	const admin = requireBackOffice(event);
	if (!admin.ok) return admin.response;
	return json(await rt.store.catalog.adminView(rt.config.currency));
}

const KINDS = {
	products: { schema: productInput, save: saveProduct },
	categories: { schema: categoryInput, save: saveCategory },
	'modifier-groups': { schema: modifierGroupInput, save: saveModifierGroup }
} as const;

export function actorOf(event: ApiEvent, admin: { staffId: string; name: string }): Actor {
	return { deviceId: event.locals.device?.id ?? null, staffId: admin.staffId, name: admin.name };
}

/** `POST /api/backoffice/catalog/<kind>` → the row as saved. */
export async function catalogSave(rt: Runtime, event: ApiEvent, kind: string): Promise<Response> {
	const admin = requireBackOffice(event);
	if (!admin.ok) return admin.response;
	if (!(kind in KINDS)) return jsonError(404, 'not_found', 'There is no such catalog list.');
	const { schema, save } = KINDS[kind as keyof typeof KINDS];
	const body = await parseJsonBody(event.request, schema as z.ZodMiniType<unknown>);
	if (!body.ok) return body.response;
	return conflictsAs409(async () => {
		const saved = await (save as (...a: unknown[]) => Promise<unknown>)(
			rt.store,
			body.data,
			actorOf(event, admin),
			rt.now()
		);
		return json(saved);
	});
}

export async function conflictsAs409(fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (error) {
		if (error instanceof StoreConflictError) return jsonError(409, 'conflict', error.message);
		throw error;
	}
}

/**
 * `POST /api/backoffice/catalog/import` with the CSV file as the body → the preview (nothing is
 * written); `?confirm=<previewId>` writes that preview's good lines in one transaction.
 */
export async function catalogImport(rt: Runtime, event: ApiEvent): Promise<Response> {
	const admin = requireBackOffice(event);
	if (!admin.ok) return admin.response;
	let bytes: ArrayBuffer;
	try {
		bytes = await event.request.arrayBuffer();
	} catch (error) {
		if ((error as { status?: unknown }).status === 413) return bodyTooLarge();
		return jsonError(400, 'bad_request', 'The file could not be read.');
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return jsonError(400, 'bad_csv', 'The file is not UTF-8 text (save it as "CSV UTF-8").');
	}
	const currency = rt.config.currency;
	const confirm = event.url.searchParams.get('confirm');
	if (confirm === null) return json(await previewImport(rt.store, currency, text));
	const now = rt.now();
	const result = await commitImport(rt.store, currency, text, confirm, now);
	if (!result.ok) {
		return result.reason === 'stale'
			? jsonError(409, 'stale_preview', 'The catalog changed since the preview; check it again.', {
					preview: result.preview
				})
			: json({ ...result.preview, written: false });
	}
	const { plan } = result;
	await auditCatalogChange(rt.store, now, {
		deviceId: event.locals.device?.id ?? null,
		staffId: admin.staffId,
		staffName: admin.name,
		what: 'import',
		id: null,
		before: {
			changed: plan.changed.map((c) => c.before),
			deactivated: plan.removed
		},
		after: {
			added: plan.added.map((c) => c.after),
			changed: plan.changed.map((c) => c.after),
			categories: plan.newCategories
		},
		extra: { counts: result.preview.counts, previewId: confirm, version: result.version }
	});
	return json({ ...result.preview, written: true, version: result.version });
}

/** `GET /api/backoffice/catalog/export` → the catalog as CSV (README, "Catalog CSV"). */
export async function catalogExport(rt: Runtime, event: ApiEvent): Promise<Response> {
	const admin = requireBackOffice(event);
	if (!admin.ok) return admin.response;
	const view = await rt.store.catalog.adminView(rt.config.currency);
	const categories = new Map(view.categories.map((c) => [c.id, c.name]));
	const rates = new Map(view.taxRates.map((r) => [r.id, r.name]));
	const rows = view.products.map((p) =>
		toCsvLine(
			p,
			categories.get(p.category) ?? p.category,
			p.taxRateId === null ? '' : (rates.get(p.taxRateId) ?? p.taxRateId),
			view.currency
		)
	);
	return new Response('\ufeff' + toCsv([[...CSV_COLUMNS], ...rows]), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="catalog.csv"'
		}
	});
}
