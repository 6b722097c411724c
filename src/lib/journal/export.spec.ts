import { afterEach, describe, expect, it } from 'vitest';
import { exportJournal, journalExportFileName, parseJournalExport } from './export';
import { runSale } from './payments';
import { FakeTerminal, orderDraft, testJournal, type TestJournal } from './testing';

let t: TestJournal;
afterEach(() => t?.db.close());

describe('exportJournal', () => {
	it('contains every order, tender, attempt and event, and validates as a journal file', async () => {
		t = testJournal();
		const a = await t.journal.createOrder(orderDraft(1000));
		await t.journal.addCashTender(a.id, { amount: 1000, tendered: 1000 });
		const b = await t.journal.createOrder(orderDraft(2500));
		const sale = await runSale(t.journal, new FakeTerminal(), { orderId: b.id, amount: 2500 });
		await t.journal.createOrder(orderDraft(10));

		const file = await exportJournal(t.journal);
		expect(file).toMatchObject({ format: 'pos-journal', version: 1, deviceId: 'dev-1' });
		expect(file.orders.map((o) => o.id)).toContain(a.id);
		expect(file.orders).toHaveLength(3);
		expect(file.tenders).toHaveLength(2);
		expect(file.attempts).toEqual([expect.objectContaining({ id: sale.id, state: 'approved' })]);
		expect(file.events).toHaveLength(await t.db.events.count());

		const roundTrip = parseJournalExport(JSON.parse(JSON.stringify(file)));
		expect(roundTrip).toEqual({ ok: true, data: file });
	});

	it('refuses a file that is not a journal', () => {
		const result = parseJournalExport({ format: 'pos-journal', version: 1, orders: 'x' });
		expect(result.ok).toBe(false);
	});

	it('names the file after the local date and time', () => {
		expect(journalExportFileName(new Date(2025, 2, 7, 18, 45, 2))).toBe(
			'pos-journal-2025-03-07-184502.json'
		);
	});
});
