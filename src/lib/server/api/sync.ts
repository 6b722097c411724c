import { json } from '@sveltejs/kit';
import type { ApprovalRecord } from '../approvals/approval-scope';
import { deviceNotPaired, jsonError, readJson, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { judgeBatch } from '../sync/judge-batch';
import { parseBatch } from '../sync/parse-batch';
import { parseSyncBody, type SyncBatch } from '../sync/sync-schema';
import { isManagerRole } from '../auth/roles';

/**
 * `POST /api/sync { orders, attempts, tenders, events }` →
 * `{ ok: true, accepted, applied, records, rejected }`. The device is the token's. Each record is
 * believed or refused on its own (`judge-batch.ts`): refused ones are quarantined and listed in
 * `rejected` with their reason, and the till moves past them. `records` says of every other one
 * whether it was applied, already held, or stale; `accepted` counts the applied and held ones
 * (what the server now holds as sent), `applied` the rows that changed (0 on a resend).
 */
export async function sync(rt: Runtime, event: ApiEvent): Promise<Response> {
	const device = event.locals.device;
	if (!device) return deviceNotPaired();
	// One bad string is one refused record, not a refused batch (see `parse-batch.ts`).
	const body = await readJson(event.request, { uncleanText: 'keep' });
	if (!body.ok) return body.response;
	const parsed = parseSyncBody(body.data, device.id);
	if (!parsed.ok) {
		const { status, error, message, issues } = parsed;
		return jsonError(status, error, message, { issues });
	}
	const { batch, rejected } = parseBatch(parsed.envelope);
	const judged = judgeBatch(batch, {
		deviceId: device.id,
		demo: rt.config.demo,
		terminals: rt.config.terminals,
		isManager: (id) => rt.config.staff.some((s) => s.id === id && isManagerRole(s.role)),
		hasSignedIn: await signedIn(rt, device.id, batch),
		approvals: await approvals(rt, batch),
		stored: await rt.store.loadStoredRecords({
			orderIds: [
				...batch.orders.map((o) => o.id),
				...batch.tenders.map((t) => t.orderId),
				...batch.attempts.map((a) => a.orderId)
			],
			attemptIds: [
				...batch.attempts.map((a) => a.id),
				...batch.tenders.flatMap((t) => (t.attemptId ? [t.attemptId] : []))
			],
			tenderIds: batch.tenders.map((t) => t.id),
			merchantOrderNos: batch.attempts.map((a) => a.merchantOrderNo)
		})
	});
	const result = await rt.store.applySync(device.id, {
		...judged.batch,
		tillReported: judged.tillReported,
		approvals: judged.approvals,
		rejected: [...rejected, ...judged.rejected],
		now: rt.now()
	});
	const accepted = { orders: 0, attempts: 0, tenders: 0, events: judged.batch.events.length };
	for (const r of result.records) if (r.outcome !== 'stale') accepted[`${r.entity}s`] += 1;
	return json({ ok: true, accepted, ...result });
}

async function signedIn(rt: Runtime, deviceId: string, batch: SyncBatch) {
	const staff = [...new Set(batch.orders.map((o) => o.staffId))];
	const found = await Promise.all(staff.map((id) => rt.store.hasSignedIn(deviceId, id)));
	const yes = new Set(staff.filter((_, i) => found[i]));
	return (staffId: string) => yes.has(staffId);
}

async function approvals(rt: Runtime, batch: SyncBatch): Promise<Map<string, ApprovalRecord>> {
	const ids = [
		...new Set(
			batch.attempts.flatMap((a) => [
				...(a.approval?.approvalId ? [a.approval.approvalId] : []),
				...(a.resolution ? [a.resolution.approvalId] : [])
			])
		)
	];
	const records = await Promise.all(ids.map((id) => rt.store.getApproval(id)));
	return new Map(records.flatMap((r) => (r ? [[r.id, r] as const] : [])));
}
