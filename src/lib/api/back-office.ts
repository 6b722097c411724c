/**
 * The back office's calls to the catalog and tax API (`/api/backoffice/...`). The server checks
 * the role on every call; the screens only hide what it would refuse.
 */
import { z } from 'zod/mini';
import type { CatalogAdminView, TaxRate } from '$lib/catalog/admin-model';
import { apiCall, ApiError, type Credentials } from './client';

/** The roles that run the back office; `owner` can do all a manager can. */
export function canUseBackOffice(role: string | undefined): boolean {
	return role === 'manager' || role === 'owner';
}

const adminView = z.looseObject({
	version: z.number(),
	currency: z.string(),
	defaultTaxRateId: z.nullable(z.string()),
	taxRates: z.array(z.looseObject({ id: z.string(), name: z.string(), rateBp: z.number() })),
	categories: z.array(z.looseObject({ id: z.string(), name: z.string() })),
	modifierGroups: z.array(z.looseObject({ id: z.string(), name: z.string() })),
	products: z.array(z.looseObject({ id: z.string(), sku: z.string() }))
}) as unknown as z.ZodMiniType<CatalogAdminView>;

export const loadCatalogAdmin = (credentials: Credentials) =>
	apiCall('/api/backoffice/catalog', adminView, { credentials });

const saved = z.looseObject({ id: z.string() });

export function saveCatalogRow(
	kind: 'products' | 'categories' | 'modifier-groups',
	body: unknown,
	credentials: Credentials
) {
	return apiCall(`/api/backoffice/catalog/${kind}`, saved, { body, credentials });
}

const taxList = z.object({
	defaultTaxRateId: z.nullable(z.string()),
	taxRates: z.array(
		z.object({ id: z.string(), name: z.string(), rateBp: z.number(), active: z.boolean() })
	)
});

export const loadTaxes = (credentials: Credentials) =>
	apiCall('/api/backoffice/taxes', taxList, { credentials });

export const saveTaxRate = (body: Partial<TaxRate>, credentials: Credentials) =>
	apiCall('/api/backoffice/taxes', saved, { body, credentials });

export const setDefaultTaxRate = (id: string, credentials: Credentials) =>
	apiCall('/api/backoffice/taxes/default', z.looseObject({ ok: z.literal(true) }), {
		body: { id },
		credentials
	});

const line = z.object({ line: z.number(), sku: z.string(), name: z.string() });
export const importPreviewSchema = z.object({
	previewId: z.string(),
	version: z.number(),
	counts: z.object({
		added: z.number(),
		changed: z.number(),
		removed: z.number(),
		unchanged: z.number(),
		errors: z.number()
	}),
	added: z.array(line),
	changed: z.array(z.extend(line, { fields: z.array(z.string()) })),
	removed: z.array(z.object({ sku: z.string(), name: z.string() })),
	newCategories: z.array(z.string()),
	errors: z.array(z.object({ line: z.number(), reason: z.string() })),
	keptBecause: z.optional(z.string()),
	written: z.optional(z.boolean())
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

function headers(credentials: Credentials): Record<string, string> {
	const h: Record<string, string> = { 'content-type': 'text/csv' };
	if (credentials.deviceToken) h.authorization = `Bearer ${credentials.deviceToken}`;
	if (credentials.staffSession) h['x-staff-session'] = credentials.staffSession;
	return h;
}

/** Sends the file's bytes as they are: the server refuses what is not UTF-8. */
export async function importCsv(
	file: Blob,
	credentials: Credentials,
	confirm?: string
): Promise<ImportPreview> {
	const query = confirm ? `?confirm=${encodeURIComponent(confirm)}` : '';
	let response: Response;
	try {
		response = await fetch(`/api/backoffice/catalog/import${query}`, {
			method: 'POST',
			headers: headers(credentials),
			body: file
		});
	} catch {
		throw new ApiError(0, 'offline', 'The POS server cannot be reached. Check the network.');
	}
	const payload: unknown = await response.json().catch(() => null);
	if (!response.ok) {
		const body = z.object({ error: z.string(), message: z.string() }).safeParse(payload);
		throw new ApiError(
			response.status,
			body.success ? body.data.error : `http_${response.status}`,
			body.success ? body.data.message : `The POS server answered ${response.status}.`
		);
	}
	return importPreviewSchema.parse(payload);
}

/** The catalog as a CSV file. */
export async function exportCsv(credentials: Credentials): Promise<Blob> {
	const response = await fetch('/api/backoffice/catalog/export', { headers: headers(credentials) });
	if (!response.ok) throw new ApiError(response.status, 'export_failed', 'The export failed.');
	return response.blob();
}
