/**
 * The back office's taxes (issue 13): `GET /api/backoffice/taxes` → `{ defaultTaxRateId, taxRates }`,
 * `POST` one rate (no id adds), `POST /api/backoffice/taxes/default { id }`. Manager or owner only.
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod/mini';
import { requireBackOffice } from '../catalog/admin-guard';
import { taxRateInput } from '$lib/catalog/admin-model';
import { saveTaxRate, setDefaultTaxRate } from '../catalog/taxes';
import { parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { actorOf, conflictsAs409 } from './back-office-catalog';

export async function listTaxes(rt: Runtime, event: ApiEvent): Promise<Response> {
	const admin = requireBackOffice(event);
	if (!admin.ok) return admin.response;
	const view = await rt.store.catalog.adminView(rt.config.currency);
	return json({ defaultTaxRateId: view.defaultTaxRateId, taxRates: view.taxRates });
}

export async function saveTax(rt: Runtime, event: ApiEvent): Promise<Response> {
	const admin = requireBackOffice(event);
	if (!admin.ok) return admin.response;
	const body = await parseJsonBody(event.request, taxRateInput);
	if (!body.ok) return body.response;
	return conflictsAs409(async () =>
		json(await saveTaxRate(rt.store, body.data, actorOf(event, admin), rt.now()))
	);
}

const defaultBody = z.object({ id: z.string().check(z.minLength(1)).check(z.maxLength(64)) });

export async function setDefaultTax(rt: Runtime, event: ApiEvent): Promise<Response> {
	const admin = requireBackOffice(event);
	if (!admin.ok) return admin.response;
	const body = await parseJsonBody(event.request, defaultBody);
	if (!body.ok) return body.response;
	return conflictsAs409(async () => {
		await setDefaultTaxRate(rt.store, body.data.id, actorOf(event, admin), rt.now());
		return json({ ok: true, defaultTaxRateId: body.data.id });
	});
}
