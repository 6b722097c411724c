import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { META_LAST_SYNCED_SEQ, SCHEMA_V1, openJournalDb } from './db';
import { Journal } from './journal';
import { runSale } from './payments';
import { SyncError, pendingSyncCount, refusedRecords, syncOnce, type SyncPayload } from './sync';
import { FakeTerminal, deferred, orderDraft, testJournal, type TestJournal } from './testing';

let t: TestJournal;
afterEach(() => t?.db.close());

/** A fake server at the edge: records what it receives and answers as told. */
function fakeServer(
	answer: () => Response | Promise<Response> = () => Response.json({ ok: true })
) {
	const received: { url: string; headers: Headers; body: SyncPayload }[] = [];
	const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
		received.push({
			url: String(input),
			headers: new Headers(init?.headers),
			body: JSON.parse(String(init?.body)) as SyncPayload
		});
		return answer();
	};
	return { fetch: fetch as typeof globalThis.fetch, received };
}

async function paidSale() {
	const order = await t.journal.createOrder(orderDraft(1000));
	const attempt = await runSale(t.journal, new FakeTerminal(), { orderId: order.id, amount: 1000 });
	return { order, attempt };
}

describe('syncOnce', () => {
	it('sends every changed record and event, then marks them clean', async () => {
		t = testJournal();
		const { order, attempt } = await paidSale();
		const events = await t.db.events.count();
		// Every change is an event: the order's creation and payment, the attempt's three states,
		// the tender.
		expect(await pendingSyncCount(t.journal)).toBe(events);
		expect(events).toBe(6);

		const server = fakeServer();
		const result = await syncOnce(t.journal, {
			fetch: server.fetch,
			url: 'https://pos.example/api/sync',
			headers: { authorization: 'Bearer x' }
		});
		expect(result).toEqual({ batches: 1, orders: 1, attempts: 1, tenders: 1, events, rejected: 0 });
		const [request] = server.received;
		expect(request?.url).toBe('https://pos.example/api/sync');
		expect(request?.headers.get('authorization')).toBe('Bearer x');
		expect(request?.body).toMatchObject({
			deviceId: 'dev-1',
			orders: [{ id: order.id, status: 'paid' }],
			attempts: [{ id: attempt.id, state: 'approved' }],
			tenders: [{ orderId: order.id, kind: 'card' }]
		});
		expect(request?.body.events).toHaveLength(events);
		expect(await pendingSyncCount(t.journal)).toBe(0);

		// Nothing new: nothing sent.
		await syncOnce(t.journal, { fetch: server.fetch });
		expect(server.received).toHaveLength(1);
	});

	it('keeps everything dirty when the server fails, and resends it next time', async () => {
		t = testJournal();
		const { order } = await paidSale();
		const before = await pendingSyncCount(t.journal);

		for (const failing of [
			fakeServer(() => new Response('oops', { status: 503 })),
			fakeServer(() => Response.json({ ok: false })),
			fakeServer(() => Promise.reject(new TypeError('Failed to fetch')))
		]) {
			const error = await syncOnce(t.journal, { fetch: failing.fetch }).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(SyncError);
			expect(await pendingSyncCount(t.journal)).toBe(before);
		}

		const server = fakeServer();
		await syncOnce(t.journal, { fetch: server.fetch });
		expect(server.received[0]?.body.orders.map((o) => o.id)).toEqual([order.id]);
		expect(await pendingSyncCount(t.journal)).toBe(0);
	});

	it('sends events once, and a record again only when it changed again', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const server = fakeServer();
		await syncOnce(t.journal, { fetch: server.fetch });
		await t.journal.addCashTender(order.id, { amount: 1000, tendered: 1000 });
		await syncOnce(t.journal, { fetch: server.fetch });

		const [first, second] = server.received.map((r) => r.body);
		expect(first?.events.map((e) => e.type)).toEqual(['order.created']);
		expect(second?.events.map((e) => e.type)).toEqual(['tender.added', 'order.paid']);
		expect(second?.orders.map((o) => o.status)).toEqual(['paid']);
		expect(second?.tenders).toHaveLength(1);
	});

	it('keeps a record dirty that changed while its batch was in flight', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const gate = deferred<void>();
		const server = fakeServer(async () => {
			await gate.promise;
			return Response.json({ ok: true });
		});
		const syncing = syncOnce(t.journal, { fetch: server.fetch, maxBatches: 1 });
		await expect.poll(() => server.received.length).toBe(1);
		await t.journal.addCashTender(order.id, { amount: 1000, tendered: 1000 });
		gate.resolve();
		await syncing;

		expect(server.received[0]?.body.orders[0]?.status).toBe('open');
		const next = fakeServer();
		await syncOnce(t.journal, { fetch: next.fetch });
		expect(next.received[0]?.body.orders.map((o) => o.status)).toEqual(['paid']);
	});

	it('posts at most 200 records per request', async () => {
		t = testJournal();
		for (let i = 0; i < 130; i++) await t.journal.createOrder(orderDraft(100 + i));
		const server = fakeServer();
		const result = await syncOnce(t.journal, { fetch: server.fetch });
		const sizes = server.received.map(
			({ body }) =>
				body.orders.length + body.attempts.length + body.tenders.length + body.events.length
		);
		expect(Math.max(...sizes)).toBeLessThanOrEqual(200);
		expect(result.orders).toBe(130);
		expect(result.events).toBe(130);
		const ids = new Set(server.received.flatMap(({ body }) => body.orders.map((o) => o.id)));
		expect(ids.size).toBe(130);
		expect(await pendingSyncCount(t.journal)).toBe(0);
	});
});

describe('records the server refuses', () => {
	it('moves past a refused record, keeps it visible, and syncs the next sale', async () => {
		t = testJournal();
		const terminal = new FakeTerminal();
		terminal.onSale = async () => ({ status: 'declined', message: 'DECLINED', code: '05' });
		const order = await t.journal.createOrder(orderDraft(1000));
		const declined = await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 });
		// The server refuses the attempt and keeps the rest: the till must not send it again.
		const refusing = fakeServer(() =>
			Response.json({
				ok: true,
				rejected: [
					{
						entity: 'attempt',
						id: declined.id,
						reason: 'terminal_unknown',
						message: 'names terminal "term-1", which the server does not know'
					}
				],
				records: [{ entity: 'order', id: order.id, outcome: 'applied' }]
			})
		);
		const result = await syncOnce(t.journal, { fetch: refusing.fetch });
		expect(result.rejected).toBe(1);
		expect(await pendingSyncCount(t.journal)).toBe(0);
		expect(await refusedRecords(t.journal)).toEqual([
			{
				entity: 'attempt',
				id: declined.id,
				reason: 'terminal_unknown',
				message: 'names terminal "term-1", which the server does not know',
				at: expect.any(Number)
			}
		]);

		const next = await t.journal.createOrder(orderDraft(500));
		await t.journal.addCashTender(next.id, { amount: 500, tendered: 500 });
		const server = fakeServer();
		await syncOnce(t.journal, { fetch: server.fetch });
		expect(server.received).toHaveLength(1);
		expect(server.received[0]?.body.orders.map((o) => o.id)).toEqual([next.id]);
		expect(server.received[0]?.body.attempts).toEqual([]);
		// Still shown: the server has not taken that record since.
		expect((await refusedRecords(t.journal)).map((r) => r.id)).toEqual([declined.id]);
	});

	it('moves past a refusal whose message is longer than the till keeps, cutting it', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const long = 'x'.repeat(5_000);
		const server = fakeServer(() =>
			Response.json({
				ok: true,
				rejected: [{ entity: 'order', id: order.id, reason: 'figures', message: long }],
				records: []
			})
		);
		await syncOnce(t.journal, { fetch: server.fetch });
		expect(await pendingSyncCount(t.journal)).toBe(0);
		const [kept] = await refusedRecords(t.journal);
		expect(kept?.message).toBe('x'.repeat(500));
	});

	it('forgets a refusal once the server holds a later version of that record', async () => {
		t = testJournal();
		const order = await t.journal.createOrder(orderDraft(1000));
		const refuse = fakeServer(() =>
			Response.json({
				ok: true,
				rejected: [{ entity: 'order', id: order.id, reason: 'figures', message: 'x' }]
			})
		);
		await syncOnce(t.journal, { fetch: refuse.fetch });
		expect(await refusedRecords(t.journal)).toHaveLength(1);
		await t.journal.addCashTender(order.id, { amount: 1000, tendered: 1000 });
		const accept = fakeServer(() =>
			Response.json({ ok: true, records: [{ entity: 'order', id: order.id, outcome: 'applied' }] })
		);
		await syncOnce(t.journal, { fetch: accept.fetch });
		expect(await refusedRecords(t.journal)).toEqual([]);
	});

	it('keeps a terminal’s NUL and lone surrogates out of the journal, so the server can store them', async () => {
		t = testJournal();
		const terminal = new FakeTerminal();
		terminal.onSale = async () => ({ status: 'declined', message: 'CARD\u0000DECLINED\ud800' });
		const order = await t.journal.createOrder(orderDraft(1000));
		await runSale(t.journal, terminal, { orderId: order.id, amount: 1000 });
		const server = fakeServer();
		await syncOnce(t.journal, { fetch: server.fetch });
		const body = server.received[0]!.body;
		expect(body.attempts[0]?.outcome?.message).toBe('CARDDECLINED\ufffd');
		const texts = JSON.stringify(body);
		expect(texts).not.toMatch(/\\u0000|\\ud800/);
	});

	it('sends an order with every attempt and tender of it, even when the batch is cut', async () => {
		t = testJournal();
		const { order } = await paidSale();
		const server = fakeServer();
		// Two events a batch: the sale's six events go in three.
		await syncOnce(t.journal, { fetch: server.fetch, batchSize: 4 });
		expect(server.received.length).toBeGreaterThan(1);
		for (const { body } of server.received) {
			if (!body.orders.some((o) => o.id === order.id)) continue;
			expect(body.attempts).toHaveLength(1);
			expect(body.tenders).toHaveLength(1);
		}
		expect(await pendingSyncCount(t.journal)).toBe(0);
	});
});

describe('a journal from before events named what to sync (schema version 2)', () => {
	it('still sends a record its old outbox held dirty after its events were acknowledged', async () => {
		const name = `journal-v2-${crypto.randomUUID()}`;
		const v2 = new Dexie(name);
		v2.version(1).stores(SCHEMA_V1);
		v2.version(2).stores({ days: 'day' });
		// What a version 2 till could hold: the server has acknowledged events up to seq 2 (the
		// order's creation and its payment) in a batch that did not carry the order itself.
		const order = { ...orderDraft(1000), id: 'order-1', number: 'A1-000001' };
		await v2.table('orders').add({
			...order,
			createdAt: 1,
			updatedAt: 2,
			day: '2025-03-07',
			status: 'paid',
			tip: 0,
			paid: 1000,
			refunded: 0,
			deviceId: 'dev-1'
		});
		await v2.table('events').bulkAdd([
			{ entity: 'order', entityId: 'order-1', orderId: 'order-1', type: 'order.created', at: 1 },
			{ entity: 'order', entityId: 'order-1', orderId: 'order-1', type: 'order.paid', at: 2 }
		]);
		await v2.table('outbox').add({ key: 'order:order-1', entity: 'order', id: 'order-1', rev: 2 });
		await v2.table('meta').add({ key: META_LAST_SYNCED_SEQ, value: 2 });
		v2.close();

		const db = openJournalDb(name);
		t = {
			db,
			name,
			clock: { t: 10 },
			journal: new Journal(db, { deviceId: 'dev-1', prefix: 'A1' })
		};
		expect(db.tables.map((x) => x.name)).not.toContain('outbox');
		const server = fakeServer();
		await syncOnce(t.journal, { fetch: server.fetch });
		expect(server.received.flatMap(({ body }) => body.orders.map((o) => o.id))).toEqual([
			'order-1'
		]);
		expect(await pendingSyncCount(t.journal)).toBe(0);
	});
});
