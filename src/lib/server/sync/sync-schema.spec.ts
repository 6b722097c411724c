import { describe, expect, it } from 'vitest';
import { parseBatch } from './parse-batch';
import { MAX_SYNC_RECORDS, parseSyncBody, type SyncEnvelope } from './sync-schema';

function records(body: unknown) {
	const result = parseSyncBody(body, 'dev-1');
	if (!result.ok) throw new Error(result.message);
	return parseBatch(result.envelope as SyncEnvelope);
}

const order = {
	id: 'o1',
	number: 'POS1-0001',
	currency: 'USD',
	lines: [],
	orderDiscount: null,
	subtotal: 500,
	discount: 0,
	tax: 0,
	total: 500,
	staffId: 'casey',
	createdAt: 1,
	updatedAt: 2,
	day: '2024-03-01',
	status: 'paid',
	tip: 0,
	paid: 500,
	refunded: 0,
	deviceId: 'dev-1'
};
const event = {
	seq: 1,
	at: 5,
	entity: 'order',
	entityId: 'o1',
	orderId: 'o1',
	type: 'order.created'
};

describe('parseSyncBody', () => {
	it('accepts a valid upload and keeps fields it does not know', () => {
		const { batch, rejected } = records({
			deviceId: 'dev-1',
			orders: [{ ...order, futureField: 'x' }],
			events: [event]
		});
		expect(rejected).toEqual([]);
		expect(batch.orders[0]).toMatchObject({ id: 'o1', futureField: 'x' });
		expect(batch.attempts).toEqual([]);
		expect(batch.events).toHaveLength(1);
	});

	it('rejects a malformed envelope', () => {
		expect(parseSyncBody(null, 'dev-1')).toMatchObject({ ok: false, status: 400 });
		expect(parseSyncBody({ deviceId: 'dev-1', orders: {} }, 'dev-1')).toMatchObject({
			ok: false,
			status: 400,
			error: 'bad_request'
		});
	});

	it('refuses an envelope whose events have no seq, and names the event', () => {
		const result = parseSyncBody({ deviceId: 'dev-1', events: [{ seq: 0, at: 1 }] }, 'dev-1');
		expect(result).toMatchObject({ ok: false, status: 400, error: 'bad_request' });
		if (result.ok) return;
		expect(result.issues.map((i) => i.path)).toEqual(['events.0.seq']);
	});

	it('names the invalid record and keeps the others', () => {
		const { batch, rejected } = records({
			deviceId: 'dev-1',
			orders: [order, { ...order, id: 'o2', total: 1.5 }]
		});
		expect(batch.orders.map((o) => o.id)).toEqual(['o1']);
		expect(rejected).toMatchObject([
			{ entity: 'order', id: 'o2', reason: 'invalid', message: expect.stringMatching(/^total: /) }
		]);
	});

	it('refuses more than the maximum number of records before validating them', () => {
		const junk = Array.from({ length: MAX_SYNC_RECORDS + 1 }, () => ({}));
		expect(parseSyncBody({ deviceId: 'dev-1', events: junk }, 'dev-1')).toMatchObject({
			ok: false,
			status: 413,
			error: 'too_many_records'
		});
		const split = { deviceId: 'dev-1', orders: junk.slice(0, 250), events: junk.slice(0, 251) };
		expect(parseSyncBody(split, 'dev-1')).toMatchObject({ status: 413 });
	});

	it('refuses an upload for another device', () => {
		expect(parseSyncBody({ deviceId: 'dev-2', orders: [order] }, 'dev-1')).toMatchObject({
			ok: false,
			status: 403,
			error: 'wrong_device'
		});
	});

	it('accepts a tender with or without updatedAt', () => {
		const tender = {
			id: 't1',
			orderId: 'o1',
			day: '2024-03-01',
			kind: 'cash',
			amount: 500,
			tip: 0,
			status: 'completed',
			refundedAmount: 0,
			createdAt: 1
		};
		const { batch } = records({ tenders: [tender, { ...tender, id: 't2', updatedAt: 9 }] });
		expect(batch.tenders).toHaveLength(2);
	});
});
