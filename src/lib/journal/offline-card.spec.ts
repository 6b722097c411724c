import { afterEach, describe, expect, it } from 'vitest';
import { META_LAST_SYNCED_SEQ } from './db';
import { cardTakenUnsynced } from './offline-card';
import { runSale } from './payments';
import { FakeTerminal, orderDraft, testJournal, type TestJournal } from './testing';

let t: TestJournal;
afterEach(() => t?.db.close());

describe('cardTakenUnsynced', () => {
	it('sums approved and in-flight card charges the server has not acknowledged', async () => {
		t = testJournal();
		const terminal = new FakeTerminal();
		const first = await t.journal.createOrder(orderDraft(1_000));
		await runSale(t.journal, terminal, { orderId: first.id, amount: 1_000, tip: 150 });
		expect(await cardTakenUnsynced(t.journal)).toBe(1_150);

		// Declined: no money taken.
		terminal.onSale = async () => ({ status: 'declined', message: 'Insufficient funds' });
		const second = await t.journal.createOrder(orderDraft(500));
		await runSale(t.journal, terminal, { orderId: second.id, amount: 500 });
		expect(await cardTakenUnsynced(t.journal)).toBe(1_150);

		// A cash tender is not card money.
		await t.journal.addCashTender(second.id, { amount: 500, tendered: 500 });
		expect(await cardTakenUnsynced(t.journal)).toBe(1_150);
	});

	it('is nothing once the server has acknowledged the events', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(2_000));
		await runSale(t.journal, new FakeTerminal(), { orderId: order.id, amount: 2_000 });
		const last = (await t.db.events.orderBy('seq').last())!.seq;
		await t.db.meta.put({ key: META_LAST_SYNCED_SEQ, value: last });
		expect(await cardTakenUnsynced(t.journal)).toBe(0);
	});
});
