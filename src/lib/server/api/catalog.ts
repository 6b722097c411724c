import { z } from 'zod';
import { compressedJson } from '../compressed-json';
import { deviceNotPaired, jsonError, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';

const since = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * `GET /api/catalog?since=<version>` → `CatalogChanges` (`$lib/catalog/types`): what changed
 * since the till's version, or everything without `since`; compressed when the till accepts it.
 */
export async function catalog(rt: Runtime, event: ApiEvent): Promise<Response> {
	if (!event.locals.device) return deviceNotPaired();
	const raw = event.url.searchParams.get('since');
	const parsed = since.safeParse(raw ?? 0);
	if (!parsed.success) {
		return jsonError(400, 'bad_request', 'since must be a catalog version (a whole number).');
	}
	const changes = await rt.store.catalog.changesSince(parsed.data, rt.config.currency);
	return compressedJson(event.request, changes, { 'cache-control': 'no-store' });
}
