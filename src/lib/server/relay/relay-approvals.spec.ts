/**
 * What the relay lets through to a terminal (issue 8, finding 3: "refunds need no manager"). Every
 * frame must be a CodePay request; a refund, void, cancel or batch close only goes with a manager's
 * approval the server issued to this till for exactly that operation, used once. A refused frame
 * never reaches the terminal (asserted on what the simulator received), and the till hears that
 * it was not sent, so its journal never holds it as "unknown".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRefund, runSale } from '$lib/journal/payments';
import { orderDraft, testJournal, type TestJournal } from '$lib/journal/testing';
import { buildEnvelope } from '$lib/terminals/codepay-lan/codec';
import type { CodePayLanDriver } from '$lib/terminals/codepay-lan/lan-driver';
import { parseRelayRefusal, relayRefusalFrame } from '$lib/terminals/codepay-lan/relay-protocol';
import type { ApprovalScope } from '../approvals/approval-scope';
import {
	APP_ID,
	nextText,
	opened,
	relayProtocols,
	startRelayFixture,
	type RelayFixture,
	type Till
} from './relay-fixture';

let f: RelayFixture;
let till: Till;
let session: string;
let driver: CodePayLanDriver;
let serial = 0;

/** A fresh merchant order number. */
const no = (prefix: string) => `${prefix}${++serial}`;

/** What the simulator received for one merchant order number. */
function requestsFor(merchantOrderNo: string) {
	return f.sim
		.requests()
		.filter(
			(r) => (r.biz_data as { merchant_order_no?: string })?.merchant_order_no === merchantOrderNo
		);
}

/** An approved card sale on the simulator, through the relay. */
async function sale(amount: number): Promise<string> {
	const merchantOrderNo = no('SALE');
	const outcome = await driver.sale({ merchantOrderNo, amount, tip: 0, currency: 'USD' });
	expect(outcome.status).toBe('approved');
	return merchantOrderNo;
}

function refundScope(origMerchantOrderNo: string, amount: number): ApprovalScope {
	return { action: 'refund', orderId: 'o1', origAttemptId: 'a1', origMerchantOrderNo, amount };
}

function refund(origMerchantOrderNo: string, amount: number, merchantOrderNo = no('REF')) {
	return driver.refund({ merchantOrderNo, origMerchantOrderNo, amount, currency: 'USD' });
}

/**
 * A raw relay connection, as a page's own code could open one, from a till of its own (each till
 * has only a few relay slots).
 */
async function rawSocket(terminal: string) {
	const own = await f.pair(no('raw-'));
	const socket = f.connect(terminal, relayProtocols(own.token, await f.signIn(own)));
	await opened(socket);
	return { socket, till: own };
}

/** The error a refused operation rejects with. */
async function refusal(operation: Promise<unknown>) {
	const error = await operation.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toMatchObject({ name: 'TerminalError', mayHaveReachedTerminal: false });
	return error as Error;
}

beforeAll(async () => {
	f = await startRelayFixture((simPort) => [
		{
			id: 'sim-auth',
			name: 'Asks its password',
			rail: 'codepay-lan',
			currency: 'USD',
			params: { host: '127.0.0.1', port: simPort, appId: APP_ID, requireTerminalAuth: true }
		}
	]);
	till = await f.pair('till-1');
	session = await f.signIn(till);
	driver = f.driver(till, session, 'sim-lan');
	await driver.connect();
}, 60_000);

afterAll(() => f.close());

describe('a refund', () => {
	it('with no approval never reaches the terminal; the till hears it was not sent, and why', async () => {
		const orig = await sale(1000);
		const merchantOrderNo = no('REF');
		const error = await refusal(refund(orig, 500, merchantOrderNo));
		expect(error.message).toContain('A manager must approve this refund on the server');
		expect(requestsFor(merchantOrderNo)).toHaveLength(0);
		// The connection carries on: the next operation works.
		expect(
			(await driver.query({ merchantOrderNo: orig, kind: 'sale', amount: 1000, currency: 'USD' }))
				.status
		).toBe('approved');
	});

	it('with an approval for another amount, another sale or another till never reaches the terminal', async () => {
		const orig = await sale(1000);
		const otherSale = await sale(1000);
		const otherTill = await f.pair('till-other');
		await f.approve(till, refundScope(orig, 400));
		await f.approve(till, refundScope(otherSale, 500));
		await f.approve(otherTill, refundScope(orig, 500));
		await f.approve(till, { ...refundScope(orig, 500), action: 'void' });
		const merchantOrderNo = no('REF');
		await refusal(refund(orig, 500, merchantOrderNo));
		expect(requestsFor(merchantOrderNo)).toHaveLength(0);
	});

	it('with a matching approval passes once; a second refund on it never reaches the terminal', async () => {
		const orig = await sale(1000);
		await f.approve(till, refundScope(orig, 500));
		const first = no('REF');
		expect((await refund(orig, 500, first)).status).toBe('approved');
		expect(requestsFor(first)).toHaveLength(1);
		const record = f.sim.transactions().find((t) => t.merchant_order_no === first);
		expect(record).toMatchObject({ trans_type: '3', trans_status: '2' });

		const second = no('REF');
		const error = await refusal(refund(orig, 500, second));
		expect(error.message).toContain('A manager must approve this refund');
		expect(requestsFor(second)).toHaveLength(0);
	});

	it('refused by the relay is recorded in the journal as not sent (cancelled), never unknown', async () => {
		let t: TestJournal | undefined;
		try {
			t = testJournal();
			const order = await t.journal.createOrder(orderDraft(1000, { currency: 'USD' }));
			const paid = await runSale(t.journal, driver, { orderId: order.id, amount: 1000, tip: 0 });
			expect(paid.state).toBe('approved');
			// The till claims an approval the server never issued.
			const attempt = await runRefund(t.journal, driver, {
				origAttemptId: paid.id,
				amount: 1000,
				approval: { staffId: 'max', approvalId: 'made-up' }
			});
			expect(attempt.state).toBe('cancelled');
			expect(attempt.error?.message).toContain('A manager must approve this refund');
			expect(requestsFor(attempt.merchantOrderNo)).toHaveLength(0);
		} finally {
			t?.db.close();
		}
	});
});

describe('voids, cancels and batch closes', () => {
	it('a void passes only with its approval, and only once', async () => {
		const orig = await sale(700);
		const refused = no('VOID');
		const voiding = (merchantOrderNo: string) =>
			driver.void({ merchantOrderNo, origMerchantOrderNo: orig, amount: 700, currency: 'USD' });
		await refusal(voiding(refused));
		expect(requestsFor(refused)).toHaveLength(0);
		await f.approve(till, { ...refundScope(orig, 700), action: 'void' });
		const passed = no('VOID');
		expect((await voiding(passed)).status).toBe('approved');
		const again = no('VOID');
		await refusal(voiding(again));
		expect(requestsFor(again)).toHaveLength(0);
	});

	it('pre-auth cancel, completion cancel and completion refund frames need an approval too', async () => {
		const { socket } = await rawSocket('echo-1');
		for (const transType of ['5', '7', '8']) {
			const before = f.echo.received.length;
			const frame = buildEnvelope(
				'ecrhub.pay.order',
				{
					trans_type: transType,
					merchant_order_no: no('X'),
					orig_merchant_order_no: 'ANYSALE1',
					order_amount: '5.00'
				},
				{ appId: APP_ID }
			);
			const answer = nextText(socket);
			socket.send(JSON.stringify(frame));
			expect(parseRelayRefusal(await answer), transType).toMatchObject({
				request_id: frame.request_id,
				reason: 'approval_required'
			});
			expect(f.echo.received).toHaveLength(before);
		}
	});

	it('a batch close passes only with an approval for this terminal, once', async () => {
		await refusal(driver.batchClose());
		await f.approve(till, { action: 'batch_close', terminalId: 'sim-auth' });
		await refusal(driver.batchClose());
		const closes = () => f.sim.requests().filter((r) => r.topic === 'ecrhub.pay.batch.close');
		expect(closes()).toHaveLength(0);
		await f.approve(till, { action: 'batch_close', terminalId: 'sim-lan' });
		expect(await driver.batchClose()).toMatchObject({ closed: true });
		const error = await refusal(driver.batchClose());
		expect(error.message).toContain('A manager must approve this batch close');
		expect(closes()).toHaveLength(1);
	});
});

describe('required_terminal_authentication', () => {
	it('on a terminal that requires it, a reversal without it is refused, even when approved', async () => {
		const orig = await sale(900);
		const { socket, till: own } = await rawSocket('sim-auth');
		await f.approve(own, refundScope(orig, 900));
		const merchantOrderNo = no('REF');
		const frame = buildEnvelope(
			'ecrhub.pay.order',
			{
				trans_type: '3',
				merchant_order_no: merchantOrderNo,
				orig_merchant_order_no: orig,
				order_amount: '9.00'
			},
			{ appId: APP_ID }
		);
		const answer = nextText(socket);
		socket.send(JSON.stringify(frame));
		expect(parseRelayRefusal(await answer)).toMatchObject({ reason: 'terminal_auth_required' });
		expect(requestsFor(merchantOrderNo)).toHaveLength(0);

		// The till's driver, with the server's setting, asks for it: the approval is still there.
		socket.terminate();
		const asking = f.driver(own, await f.signIn(own), 'sim-auth', { requireTerminalAuth: true });
		await asking.connect();
		const passed = no('REF');
		const outcome = await asking.refund({
			merchantOrderNo: passed,
			origMerchantOrderNo: orig,
			amount: 900,
			currency: 'USD'
		});
		expect(outcome.status).toBe('approved');
		expect(requestsFor(passed)[0]?.biz_data).toMatchObject({
			required_terminal_authentication: true
		});
	});
});

describe('the terminal side', () => {
	it('cannot make the till believe a request was not sent', async () => {
		const { socket } = await rawSocket('echo-1');
		f.echo.sendToAll(
			relayRefusalFrame({ request_id: 'R1', reason: 'approval_required', message: 'forged' })
		);
		const heartbeat = JSON.stringify(buildEnvelope('ecrhub.heartbeat', {}, { appId: APP_ID }));
		const next = nextText(socket);
		socket.send(heartbeat);
		expect(await next).toBe(heartbeat);
	});
});

describe('frames that are not CodePay requests', () => {
	it('are refused and never reach the terminal', async () => {
		const { socket } = await rawSocket('echo-1');
		const envelope = (topic: string, biz: Record<string, unknown>) =>
			JSON.stringify({ ...buildEnvelope('ecrhub.pay.query', biz, { appId: APP_ID }), topic });
		const hostile: (string | Buffer)[] = [
			Buffer.from([0x7b, 0x00, 0xff]),
			'not json',
			'{"topic":"ecrhub.pay.order","biz_data":{"trans_type":"3"}}',
			envelope('ecrhub.pay.order', {
				trans_type: '99',
				merchant_order_no: 'A1',
				order_amount: '1'
			}),
			envelope('ecrhub.pay.order', {
				trans_type: '3',
				merchant_order_no: 'A1',
				orig_merchant_order_no: 'B1',
				order_amount: '1.00',
				sneaky: true
			}),
			envelope('ecrhub.pay.refund', { merchant_order_no: 'A1' }),
			envelope('ecrhub.pay.batch.close', { all: true })
		];
		const before = f.echo.received.length;
		for (const frame of hostile) {
			const answer = nextText(socket);
			socket.send(frame);
			expect(parseRelayRefusal(await answer), String(frame)).toMatchObject({
				reason: 'unreadable'
			});
		}
		expect(f.echo.received).toHaveLength(before);
	});

	it('while sales, queries, close, tip adjustment, heartbeats and info pass as sent', async () => {
		const { socket } = await rawSocket('echo-1');
		const frames = [
			buildEnvelope(
				'ecrhub.pay.order',
				{ trans_type: '1', merchant_order_no: 'S1', order_amount: '3.41', tip_amount: '0.51' },
				{ appId: APP_ID }
			),
			buildEnvelope('ecrhub.pay.query', { merchant_order_no: 'S1' }, { appId: APP_ID }),
			buildEnvelope('ecrhub.pay.close', { merchant_order_no: 'S1' }, { appId: APP_ID }),
			buildEnvelope(
				'ecrhub.pay.tip.adjustment',
				{ merchant_order_no: 'S1', tip_adjustment_amount: '1.00' },
				{ appId: APP_ID }
			),
			buildEnvelope('ecrhub.heartbeat', {}, { appId: APP_ID }),
			buildEnvelope('ecrhub.getInfo', {}, { appId: APP_ID }),
			buildEnvelope('ecrhub.init', {}, { appId: APP_ID })
		].map((frame) => JSON.stringify(frame));
		const before = f.echo.received.length;
		for (const frame of frames) {
			const echoed = nextText(socket);
			socket.send(frame);
			expect(await echoed).toBe(frame);
		}
		expect(f.echo.received.slice(before)).toEqual(frames);
	});
});
