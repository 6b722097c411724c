/**
 * The back office's staff API (issue 13): `GET /api/backoffice/staff`, `POST` to add,
 * `PATCH /api/backoffice/staff/<id>` to rename, change role, disable or enable, or reset the PIN.
 * Each change is checked and written under one lock (`ShopStore.changeStaff`) and audited.
 */
import { json } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { z } from 'zod/mini';
import { cleanString } from '$lib/text/clean-text';
import { hashPin } from '../auth/pin';
import { STAFF_ROLES } from '../auth/roles';
import { jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import type { StaffRecord } from '../store/shop-store';
import { backOfficeAccess } from './access';
import { auditChange } from './audit';
import {
	PIN_PATTERN,
	PIN_TAKEN,
	pinHolder,
	refuseStaffChange,
	staffView,
	type StaffRefusal
} from './staff-rules';

const pin = z.string().check(z.regex(PIN_PATTERN, 'a PIN is 4 to 8 digits'));
const name = cleanString().check(z.trim()).check(z.minLength(1)).check(z.maxLength(80));
const role = z.enum(STAFF_ROLES);

const addBody = z.object({ name, role, pin });
const editBody = z
	.partial(z.object({ name, role, active: z.boolean(), pin }))
	.check(z.refine((b) => Object.keys(b).length > 0, 'nothing to change'));

type Outcome = { ok: true; member: StaffRecord; before: StaffRecord | null } | StaffRefusal;

const refusal = (r: StaffRefusal) => jsonError(r.status, r.error, r.message);

export async function listStaff(rt: Runtime, event: ApiEvent): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	return json({ staff: (await rt.store.shop.listStaff()).map(staffView) });
}

export async function addStaff(rt: Runtime, event: ApiEvent): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	const body = await parseJsonBody(event.request, addBody);
	if (!body.ok) return body.response;
	const now = rt.now();
	const pinHash = await hashPin(body.data.pin);
	const outcome = await rt.store.shop.changeStaff<Outcome>(now, async (all) => {
		const member: StaffRecord = {
			id: `staff-${randomUUID().slice(0, 8)}`,
			name: body.data.name,
			role: body.data.role,
			pinHash,
			active: true
		};
		const refused = refuseStaffChange(all, null, member, access.role);
		if (refused) return { refuse: refused };
		if (await pinHolder(all, body.data.pin, null)) return { refuse: PIN_TAKEN };
		return { write: [member], result: { ok: true, member, before: null } };
	});
	if (!('ok' in outcome)) return refusal(outcome);
	await auditChange(rt.store, access.actor, 'staff.added', null, staffView(outcome.member), now);
	await rt.refresh();
	return json({ member: staffView(outcome.member) }, { status: 201 });
}

export async function editStaff(rt: Runtime, event: ApiEvent, id: string): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	const body = await parseJsonBody(event.request, editBody);
	if (!body.ok) return body.response;
	const change = body.data;
	const now = rt.now();
	const pinHash = change.pin === undefined ? null : await hashPin(change.pin);
	const outcome = await rt.store.shop.changeStaff<Outcome>(now, async (all) => {
		const before = all.find((m) => m.id === id);
		if (!before) {
			return { refuse: { status: 404, error: 'no_such_staff', message: 'No such staff member.' } };
		}
		const member: StaffRecord = {
			...before,
			...(change.name !== undefined ? { name: change.name } : {}),
			...(change.role !== undefined ? { role: change.role } : {}),
			...(change.active !== undefined ? { active: change.active } : {}),
			...(pinHash ? { pinHash } : {})
		};
		const refused = refuseStaffChange(all, before, member, access.role);
		if (refused) return { refuse: refused };
		if (change.pin !== undefined && (await pinHolder(all, change.pin, id))) {
			return { refuse: PIN_TAKEN };
		}
		return { write: [member], result: { ok: true, member, before } };
	});
	if (!('ok' in outcome)) return refusal(outcome);
	const before = outcome.before ? staffView(outcome.before) : null;
	const after = { ...staffView(outcome.member), ...(pinHash ? { pinReset: true } : {}) };
	await auditChange(rt.store, access.actor, kindOf(change), before, after, now);
	await rt.refresh();
	return json({ member: staffView(outcome.member) });
}

function kindOf(change: z.infer<typeof editBody>): string {
	if (change.active === false) return 'staff.disabled';
	if (change.active === true) return 'staff.enabled';
	if (change.pin !== undefined && change.name === undefined && change.role === undefined) {
		return 'staff.pin_reset';
	}
	return 'staff.changed';
}
