/**
 * The store's profile in the back office (issue 13): `GET`/`PUT /api/backoffice/profile` (name,
 * address, tax number, currency, locale, time zone, receipt header and footer) and
 * `POST /api/backoffice/pairing-code`, which replaces the code that pairs a till and shows the new
 * one once.
 */
import { json } from '@sveltejs/kit';
import { pairingCodeHash } from '../auth/pairing-codes';
import { jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { backOfficeAccess } from './access';
import { auditChange } from './audit';
import { newPairingCode, profileSchema } from './profile-schema';

export async function getProfile(rt: Runtime, event: ApiEvent): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	await rt.refresh();
	const profile = rt.profile;
	if (!profile) return jsonError(409, 'setup_required', 'The store is not set up yet.');
	return json({ profile });
}

export async function putProfile(rt: Runtime, event: ApiEvent): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	const body = await parseJsonBody(event.request, profileSchema);
	if (!body.ok) return body.response;
	await rt.refresh();
	const before = rt.profile;
	if (!before) return jsonError(409, 'setup_required', 'The store is not set up yet.');
	const now = rt.now();
	await rt.store.shop.updateProfile(body.data, now);
	await rt.refresh();
	await auditChange(rt.store, access.actor, 'store.changed', before, rt.profile, now);
	return json({ profile: rt.profile });
}

export async function rotatePairingCode(rt: Runtime, event: ApiEvent): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	const code = newPairingCode();
	const now = rt.now();
	await rt.store.shop.setPairingCodeHash(pairingCodeHash(code), now);
	await auditChange(rt.store, access.actor, 'pairing_code.rotated', null, null, now);
	await rt.refresh();
	const overridden = Boolean(rt.config.pairingCode);
	return json({ code, overridden });
}
