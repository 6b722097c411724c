import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	startCodePaySimulator,
	type CodePaySimulator
} from '../../../../simulators/codepay-register/server.js';
import { runSale } from '../../journal/payments';
import { FakeTerminal, orderDraft, testJournal, type TestJournal } from '../../journal/testing';
import { CodePayLanDriver } from './lan-driver';

let sim: CodePaySimulator;
let driver: CodePayLanDriver;
let t: TestJournal;

beforeEach(async () => {
	sim = await startCodePaySimulator({ port: 0, appId: 'APP1', cardMs: 10, log: () => {} });
	driver = new CodePayLanDriver(
		{ id: 'till-1', currency: 'EUR', params: { host: '127.0.0.1', port: sim.port, appId: 'APP1' } },
		{ WebSocketImpl: WebSocket, heartbeatMs: 0, logger: { debug: () => {}, warn: () => {} } }
	);
	await driver.connect();
	t = testJournal();
});

afterEach(async () => {
	await driver.disconnect();
	await sim.close();
	t.db.close();
});

describe('a sale with cashback', () => {
	it('charges goods plus cashback as trans_type 11 and credits the order the goods only', async () => {
		expect(driver.capabilities.cashback).toBe(true);
		const order = await t.journal.createOrder(orderDraft(1200));
		const attempt = await runSale(t.journal, driver, {
			orderId: order.id,
			amount: 1200,
			cashback: 2000
		});
		expect(attempt).toMatchObject({ state: 'approved', cashback: 2000 });
		// The terminal's own answer says what it approved handing over.
		expect(attempt.outcome).toMatchObject({ cashback: 2000, amount: 3200 });
		expect(await t.journal.getOrder(order.id)).toMatchObject({ paid: 1200, status: 'paid' });
		expect(await t.journal.tendersForOrder(order.id)).toMatchObject([
			{ kind: 'card', amount: 1200, tip: 0, cashback: 2000 }
		]);
		const [charged] = sim.salesFor(attempt.merchantOrderNo);
		expect(charged).toMatchObject({
			trans_type: '11',
			order_amount: 1200,
			cashback_amount: 2000
		});
	});

	it('is refused, with nothing journaled, by a terminal that cannot give cashback', async () => {
		const fake = new FakeTerminal();
		const order = await t.journal.createOrder(orderDraft(1200));
		await expect(
			runSale(t.journal, fake, { orderId: order.id, amount: 1200, cashback: 500 })
		).rejects.toThrow('cannot give cashback');
		expect(await t.journal.attemptsForOrder(order.id)).toEqual([]);
		expect(fake.calls).toEqual([]);
	});
});

describe('tip adjustment and batch close', () => {
	it('adjusts the tip of an approved sale, then closes the batch with it', async () => {
		expect(driver.capabilities).toMatchObject({ tipAdjust: true, batchClose: true });
		const order = await t.journal.createOrder(orderDraft(1000));
		const sale = await runSale(t.journal, driver, { orderId: order.id, amount: 1000, tip: 100 });
		const adjusted = await driver.tipAdjust({
			merchantOrderNo: sale.merchantOrderNo,
			tip: 300,
			currency: 'EUR'
		});
		expect(adjusted).toMatchObject({ status: 'approved', tip: 300 });
		const closed = await driver.batchClose();
		expect(closed).toMatchObject({ closed: true, count: 1, total: 1300 });
		const late = await driver.tipAdjust({
			merchantOrderNo: sale.merchantOrderNo,
			tip: 400,
			currency: 'EUR'
		});
		expect(late.status).toBe('declined');
		expect(late.message).toMatch(/batch is closed/);
	});
});
