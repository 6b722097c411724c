/** A complete, self-describing copy of the journal, for support or for a device being replaced. */
import type { Journal } from './journal';
import { journalExportSchema, type JournalExport } from './types';

export async function exportJournal(journal: Journal): Promise<JournalExport> {
	const { db } = journal;
	// One read transaction: a consistent snapshot even while the till keeps selling.
	const [orders, tenders, attempts, events] = await db.transaction(
		'r',
		[db.orders, db.tenders, db.attempts, db.events],
		async () =>
			await Promise.all([
				db.orders.orderBy('createdAt').toArray(),
				db.tenders.toArray(),
				db.attempts.toArray(),
				db.events.toArray()
			])
	);
	return {
		format: 'pos-journal',
		version: 1,
		exportedAt: journal.now(),
		deviceId: journal.deviceId,
		orders,
		tenders,
		attempts,
		events
	};
}

/** Validates a journal file before anything is done with it. */
export function parseJournalExport(
	value: unknown
): { ok: true; data: JournalExport } | { ok: false; message: string } {
	const result = journalExportSchema.safeParse(value);
	if (result.success) return { ok: true, data: result.data };
	const issue = result.error.issues[0];
	return {
		ok: false,
		message: `This is not a valid POS journal file (${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}).`
	};
}

/** `pos-journal-2025-03-07-184502.json`, in local time. */
export function journalExportFileName(now: number | Date = Date.now()): string {
	const d = new Date(now);
	const p = (n: number) => String(n).padStart(2, '0');
	return `pos-journal-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.json`;
}
