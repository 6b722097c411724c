/**
 * The back office's tills API (issue 13): `GET /api/backoffice/tills` (name, last seen, what each
 * said it still had to sync, app version), `PATCH /api/backoffice/tills/<id> { name }` and
 * `POST /api/backoffice/tills/<id>/revoke`. A revoked till is refused from its next request on
 * (`guard.ts`); its journal stays on it, and this list keeps saying what it last held.
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod/mini';
import { cleanString } from '$lib/text/clean-text';
import { jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import type { TillRecord } from '../store/till-store';
import { backOfficeAccess } from './access';
import { auditChange } from './audit';

const renameBody = z.object({
	name: cleanString().check(z.trim()).check(z.minLength(1)).check(z.maxLength(80))
});

const noSuchTill = () => jsonError(404, 'no_such_till', 'No such till.');

/** What the audit log keeps of a till. */
const tillView = (till: TillRecord) => ({
	id: till.id,
	name: till.name,
	revokedAt: till.revokedAt,
	unsynced: till.unsynced
});

export async function listTills(rt: Runtime, event: ApiEvent): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	const tills = await rt.store.tills.list();
	return json({ tills, you: access.actor.deviceId });
}

export async function renameTill(rt: Runtime, event: ApiEvent, id: string): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	const body = await parseJsonBody(event.request, renameBody);
	if (!body.ok) return body.response;
	const before = await rt.store.tills.get(id);
	if (!before) return noSuchTill();
	const after = await rt.store.tills.rename(id, body.data.name);
	if (!after) return noSuchTill();
	await auditChange(
		rt.store,
		access.actor,
		'till.renamed',
		tillView(before),
		tillView(after),
		rt.now()
	);
	return json({ till: after });
}

export async function revokeTill(rt: Runtime, event: ApiEvent, id: string): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	if (id === access.actor.deviceId) {
		return jsonError(
			409,
			'own_till',
			'This is the till you are using: revoke it from another one.'
		);
	}
	const before = await rt.store.tills.get(id);
	if (!before) return noSuchTill();
	if (before.revokedAt !== null) return json({ till: before });
	const now = rt.now();
	const after = await rt.store.tills.revoke(id, access.actor.staffId, now);
	if (!after) return noSuchTill();
	await auditChange(rt.store, access.actor, 'till.revoked', tillView(before), tillView(after), now);
	return json({ till: after });
}
