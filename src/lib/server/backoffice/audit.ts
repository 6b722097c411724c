/**
 * The back office's audit trail (issue 13): every change (who, when, what, before and after) and
 * every manager approval go to the store's audit log. `auditChange` is what each back-office
 * change calls, the catalog's as well.
 */
import type { AuditEntry, Store } from '../store/types';

/** Who made a change: the staff member signed in, on which till. */
export interface Actor {
	deviceId: string | null;
	staffId: string;
	/** For the log's reader: names change, ids do not. */
	staffName?: string;
}

/** `kind` is `<area>.<verb>`, e.g. `staff.added`, `terminal.removed`, `till.revoked`. */
export async function auditChange(
	store: Store,
	actor: Actor,
	kind: string,
	before: unknown,
	after: unknown,
	at: number = Date.now()
): Promise<void> {
	await store.recordAudit({
		at,
		kind,
		deviceId: actor.deviceId,
		staffId: actor.staffId,
		detail: {
			...(actor.staffName ? { by: actor.staffName } : {}),
			before: before ?? null,
			after: after ?? null
		}
	});
}

const CSV_COLUMNS = ['at', 'kind', 'staffId', 'deviceId', 'detail'] as const;

/** RFC 4180 quoting; a leading =, +, - or @ is defused so a spreadsheet does not run it. */
function csvField(value: string): string {
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The log as CSV: one row per entry, times in ISO 8601 (UTC), `detail` as JSON. */
export function auditCsv(entries: readonly AuditEntry[]): string {
	const rows = entries.map((entry) =>
		[
			new Date(entry.at).toISOString(),
			entry.kind,
			entry.staffId ?? '',
			entry.deviceId ?? '',
			JSON.stringify(entry.detail)
		]
			.map(csvField)
			.join(',')
	);
	return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
