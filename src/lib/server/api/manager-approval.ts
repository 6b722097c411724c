import { json } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { APPROVAL_TTL_MS, approvalScopeSchema } from '../approvals/approval-scope';
import { checkPin } from '../auth/check-pin';
import { deviceNotPaired, jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { isManagerRole } from '../auth/roles';
import { auditChange } from '../backoffice/audit';

const managerBody = z.intersection(
	z.object({ pin: z.string().min(1).max(32) }),
	approvalScopeSchema
);

/**
 * `POST /api/auth/manager { pin, action, orderId, origAttemptId, origMerchantOrderNo, amount }` (or
 * `{ pin, action: 'batch_close', terminalId }`) → `{ ok, manager, approvalId, expiresAt }`: an
 * approval for that one operation, usable once, for `APPROVAL_TTL_MS`.
 */
export async function managerApproval(rt: Runtime, event: ApiEvent): Promise<Response> {
	const device = event.locals.device;
	if (!device) return deviceNotPaired();
	const body = await parseJsonBody(event.request, managerBody);
	if (!body.ok) return body.response;
	const { pin, ...scope } = body.data;
	const caller = { deviceId: device.id, staffId: event.locals.staff?.id ?? null };
	const check = await checkPin(rt, caller, pin);
	if (!check.ok) return check.response;
	if (!isManagerRole(check.staff.role)) {
		return jsonError(403, 'not_a_manager', 'That PIN does not belong to a manager.');
	}
	const approvalId = randomUUID();
	const createdAt = rt.now();
	const expiresAt = createdAt + APPROVAL_TTL_MS;
	await rt.store.recordApproval({
		...scope,
		id: approvalId,
		deviceId: device.id,
		managerId: check.staff.id,
		requestedBy: event.locals.staff?.id ?? null,
		createdAt,
		expiresAt,
		usedByAttemptId: null,
		relayMerchantOrderNo: null
	});
	// Every approval goes to the audit log, as the back office's changes do (issue 13).
	await auditChange(
		rt.store,
		{ deviceId: device.id, staffId: check.staff.id, staffName: check.staff.name },
		`approval.${scope.action}`,
		null,
		{ ...scope, approvalId, requestedBy: event.locals.staff?.id ?? null, expiresAt },
		createdAt
	);
	return json({
		ok: true,
		manager: { id: check.staff.id, name: check.staff.name },
		approvalId,
		expiresAt
	});
}
