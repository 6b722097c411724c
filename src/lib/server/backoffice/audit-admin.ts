/**
 * `GET /api/backoffice/audit?kind=&limit=&format=json|csv`: the audit log, newest first, for a
 * manager or the owner; with `format` it is a download (`content-disposition: attachment`).
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { parseValue, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { backOfficeAccess } from './access';
import { auditCsv } from './audit';

const query = z.object({
	kind: z
		.string()
		.regex(/^[a-z_.]{1,64}$/, 'a kind such as staff.added')
		.optional(),
	limit: z.coerce.number().int().min(1).max(10_000).default(200),
	format: z.enum(['csv', 'json']).optional()
});

export async function listAuditLog(rt: Runtime, event: ApiEvent): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	const params = parseValue(Object.fromEntries(event.url.searchParams), query);
	if (!params.ok) return params.response;
	const { kind, limit, format } = params.data;
	const entries = await rt.store.listAudit({ kind, limit });
	if (!format) return json({ entries });
	const day = new Date(rt.now()).toISOString().slice(0, 10);
	const body = format === 'csv' ? auditCsv(entries) : JSON.stringify(entries, null, 1);
	return new Response(body, {
		headers: {
			'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
			'content-disposition': `attachment; filename="audit-${day}.${format}"`
		}
	});
}
