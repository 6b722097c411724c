import { afterEach, describe, expect, it } from 'vitest';
import {
	createFakeSerialPort,
	createHaojinSimulator,
	type HaojinSimulatorOptions
} from './simulator';
import { TerminalError, type TerminalConfig, type TerminalEvent } from '../driver';
import { HaojinUsbDriver, isWebSerialSupported, type HaojinDriverOptions } from './haojin-driver';

const drivers: HaojinUsbDriver[] = [];
afterEach(async () => {
	await Promise.all(drivers.splice(0).map((d) => d.disconnect()));
});

async function setup(
	sim: HaojinSimulatorOptions = {},
	params: TerminalConfig['params'] = {},
	options: Partial<HaojinDriverOptions> = {}
) {
	const simulator = createHaojinSimulator({ cardMs: 20, ...sim });
	const port = createFakeSerialPort(simulator);
	const config: TerminalConfig = {
		id: 'hj-1',
		name: 'Counter 1',
		rail: 'haojin-usb',
		currency: 'HKD',
		params
	};
	const driver = new HaojinUsbDriver(config, { port, ...options });
	drivers.push(driver);
	const events: TerminalEvent[] = [];
	driver.on((e) => events.push(e));
	await driver.connect();
	return { simulator, port, driver, events };
}

const sale = (merchantOrderNo: string, amount = 1010) => ({
	merchantOrderNo,
	amount,
	tip: 0,
	currency: 'HKD'
});

async function rejection(promise: Promise<unknown>): Promise<TerminalError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(TerminalError);
		return error as TerminalError;
	}
	throw new Error('expected a rejection');
}

function waitFor<T>(check: () => T | undefined, ms = 3000): Promise<T> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const poll = (): void => {
			const value = check();
			if (value !== undefined) return resolve(value);
			if (Date.now() - started > ms) return reject(new Error('timed out waiting'));
			setTimeout(poll, 5);
		};
		poll();
	});
}

const approvedSales = (simulator: ReturnType<typeof createHaojinSimulator>) =>
	simulator.log.filter((t) => t.kind === 'sale' && t.status === 'approved');

describe('HaojinUsbDriver against the simulated terminal', () => {
	it('opens the port 9600 8N1 without flow control', async () => {
		const { port, driver } = await setup();
		expect(port.openedWith).toEqual({
			baudRate: 9600,
			dataBits: 8,
			stopBits: 1,
			parity: 'none',
			flowControl: 'none'
		});
		expect(driver.status()).toBe('ready');
	});

	it('takes a card sale: 1001 with the amount in major units, approved with the terminal reference', async () => {
		const { simulator, driver } = await setup();
		const outcome = await driver.sale(sale('ORD-1', 1010));
		expect(outcome).toMatchObject({
			status: 'approved',
			amount: 1010,
			cardBrand: 'VISA',
			maskedCard: '476173******0119',
			code: '0000'
		});
		expect(outcome.reference).toMatch(/^\d+$/);
		expect(simulator.requests[0]).toMatchObject({
			funcType: 1001,
			fields: { amt: '10.1', channel: 'card_payment', out_trade_no: 'ORD-1', moveToBack: '1' }
		});
		expect(approvedSales(simulator)).toHaveLength(1);
		expect(driver.status()).toBe('ready');
	});

	it('sends the configured channel and scan options', async () => {
		const { simulator, driver } = await setup(
			{},
			{ channel: 'alipay', cameraId: 1, scanType: 'SCAN_PAY', waitCardTimeoutS: 60 }
		);
		await driver.sale(sale('ORD-QR', 500));
		expect(simulator.requests[0]?.fields).toMatchObject({
			channel: 'alipay',
			camera_id: '1',
			scan_type: 'SCAN_PAY',
			wait_card_timeout: '60'
		});
	});

	it('still gets the result through split writes, a corrupted frame and small fragments', async () => {
		const { simulator, driver } = await setup({
			faults: { splitFrames: true, corruptFrame: true },
			maxFragment: 16
		});
		const outcome = await driver.sale(sale('ORD-2'));
		expect(outcome.status).toBe('approved');
		expect(approvedSales(simulator)).toHaveLength(1);
	});

	it("works with the other readings: 'fragment' lengths and the AES-128 hex key", async () => {
		const { simulator, driver } = await setup(
			// In 'fragment' mode a fragment shorter than 1024 ends the message, so both sides keep 1024.
			{ fragmentLengthMode: 'fragment', keyMode: 'hex128', plainResponses: true },
			{ fragmentLengthMode: 'fragment', keyMode: 'hex128' }
		);
		expect((await driver.sale(sale('ORD-3'))).status).toBe('approved');
		expect(approvedSales(simulator)).toHaveLength(1);
	});

	it('reports a customer who cancels on the terminal as cancelled', async () => {
		const { simulator, driver } = await setup({ faults: { userCancels: true } });
		expect(await driver.sale(sale('ORD-4'))).toMatchObject({ status: 'cancelled', code: '6001' });
		expect(approvedSales(simulator)).toHaveLength(0);
	});

	it('cancels a sale waiting for the card (5001); the sale settles from its own answer', async () => {
		const { simulator, driver } = await setup({ cardMs: 2000 });
		const pending = driver.sale(sale('ORD-5'));
		await waitFor(() => (simulator.requests.length > 0 ? true : undefined));
		await driver.cancel('ORD-5');
		expect(await pending).toMatchObject({ status: 'cancelled' });
		expect(simulator.requests.map((r) => r.funcType)).toEqual([1001, 5001]);
		expect(approvedSales(simulator)).toHaveLength(0);
	});

	it('refunds part, then the rest, and is declined beyond what is left', async () => {
		const { simulator, driver } = await setup();
		await driver.sale(sale('ORD-6', 1000));
		const refund = (merchantOrderNo: string, amount: number) => ({
			merchantOrderNo,
			origMerchantOrderNo: 'ORD-6',
			amount,
			currency: 'HKD'
		});
		expect(await driver.refund(refund('R-1', 300))).toMatchObject({
			status: 'approved',
			amount: 300
		});
		expect(simulator.requests[1]?.fields).toMatchObject({
			func_type: '1002',
			orderId: 'ORD-6',
			refund_amount: '3.00'
		});
		expect(await driver.refund(refund('R-2', 0), { full: true })).toMatchObject({
			status: 'approved',
			amount: 700
		});
		expect(simulator.requests[2]?.fields.refund_amount).toBeUndefined();
		const refused = await driver.refund(refund('R-3', 100));
		expect(refused.status).toBe('declined');
		expect(refused.message).toMatch(/refundable/);
	});

	it('queries a sale (4001): approved when paid, unknown when the terminal has no such order', async () => {
		const { driver } = await setup();
		await driver.sale(sale('ORD-7'));
		const query = { kind: 'sale' as const, amount: 1010, currency: 'HKD' };
		expect(await driver.query({ merchantOrderNo: 'ORD-7', ...query })).toMatchObject({
			status: 'approved',
			amount: 1010
		});
		expect((await driver.query({ merchantOrderNo: 'NOPE', ...query })).status).toBe('unknown');
	});

	it('prints a receipt (3001) and the summary (3002)', async () => {
		const { simulator, driver } = await setup();
		await driver.sale(sale('ORD-8'));
		await driver.printReceipt('ORD-8');
		await driver.printSummary();
		expect(simulator.requests.map((r) => r.funcType)).toEqual([1001, 3001, 3002]);
		const error = await rejection(driver.printReceipt('NOPE'));
		expect(error.code).toBe('bad_request');
	});

	it('a sale result that comes late, while the summary prints, still reaches the journal', async () => {
		const { simulator, driver, events } = await setup({ cardMs: 400 }, {}, { saleTimeoutMs: 150 });
		const late = await rejection(driver.sale(sale('ORD-LATE')));
		expect(late.code).toBe('timeout');
		// The terminal finishes the card first, then answers the summary.
		await driver.printSummary();
		const result = await waitFor(() =>
			events.find((e) => e.type === 'result' && e.merchantOrderNo === 'ORD-LATE')
		);
		expect(result).toMatchObject({ outcome: { status: 'approved' } });
		expect(approvedSales(simulator)).toHaveLength(1);
	});

	it('sends no other sale while the terminal is still working on one whose result was lost', async () => {
		const { simulator, driver } = await setup({ cardMs: 600 }, {}, { saleTimeoutMs: 150 });
		expect(await rejection(driver.sale(sale('ORD-SLOW')))).toMatchObject({ code: 'timeout' });
		const refused = await rejection(driver.sale(sale('ORD-NEXT')));
		expect(refused).toMatchObject({ code: 'busy', mayHaveReachedTerminal: false });
		expect(refused.message).toContain('ORD-SLOW');
		expect(simulator.log.map((t) => t.orderNo)).toEqual(['ORD-SLOW']);
		// Once the terminal is done with it, the next sale is sent (its card takes longer than this
		// test's sale timeout, so it ends as a timeout again, on the terminal this time).
		await waitFor(() => (simulator.log[0]?.status === 'approved' ? true : undefined));
		expect(await rejection(driver.sale(sale('ORD-NEXT')))).toMatchObject({ code: 'timeout' });
		expect(simulator.log.map((t) => t.orderNo)).toEqual(['ORD-SLOW', 'ORD-NEXT']);
	});

	it('says the POS-KEY is wrong, and nothing is charged', async () => {
		const { simulator, driver } = await setup({ faults: { wrongKey: true } });
		const error = await rejection(driver.sale(sale('ORD-9')));
		expect(error.code).toBe('auth');
		expect(error.message).toMatch(/POS-KEY/);
		expect(error.mayHaveReachedTerminal).toBe(false);
		expect(simulator.log).toHaveLength(0);
	});

	it('looks a sale up by the terminal\'s reference, for a manager\'s "charged"', async () => {
		const { driver } = await setup();
		const approved = await driver.sale(sale('ORD-REF'));
		expect(approved.status).toBe('approved');
		const request = {
			merchantOrderNo: 'ORD-REF',
			kind: 'sale' as const,
			amount: 1010,
			currency: 'HKD'
		};
		expect(await driver.queryByReference(approved.reference!, request)).toMatchObject({
			status: 'approved',
			reference: approved.reference,
			amount: 1010
		});
		expect(await driver.queryByReference('99999999', request)).toMatchObject({
			status: 'unknown'
		});
	});

	it('recognises a key mismatch when neither the reply nor the follow-up query decrypts', async () => {
		const { simulator, driver } = await setup({
			faults: { wrongKey: true, answersUnreadable: true }
		});
		// The reply cannot be read: what the terminal did is not known from it alone.
		const error = await rejection(driver.sale(sale('ORD-K')));
		expect(error.mayHaveReachedTerminal).toBe(true);
		expect(error.message).toMatch(/POS-KEY/);
		// The follow-up query's answer cannot be read either: the terminal never understood the
		// request (NOTES.md §3), and asking again cannot tell more.
		const outcome = await driver.query({
			merchantOrderNo: 'ORD-K',
			kind: 'sale',
			amount: 1010,
			currency: 'HKD'
		});
		expect(outcome).toEqual({
			status: 'unknown',
			finding: 'key_mismatch',
			exhausted: true,
			message: 'Not charged: the POS-KEY does not match the terminal.'
		});
		expect(simulator.log).toHaveLength(0);
	});

	it('refuses a POS-KEY of the wrong shape before touching the port', async () => {
		const simulator = createHaojinSimulator();
		const port = createFakeSerialPort(simulator);
		const config: TerminalConfig = {
			id: 'x',
			name: 'x',
			rail: 'haojin-usb',
			currency: 'HKD',
			params: { posKey: 'too-short' }
		};
		const error = await rejection(new HaojinUsbDriver(config, { port }).connect());
		expect(error.message).toMatch(/POS-KEY/);
		expect(port.opens).toBe(0);
	});

	it('fails a send the terminal never acks as maybe-reached; a result that comes later is announced', async () => {
		const { driver, events } = await setup(
			{ cardMs: 300, faults: { noAck: true } },
			{},
			{ ackTimeoutMs: 100 }
		);
		const error = await rejection(driver.sale(sale('ORD-10')));
		expect(error).toMatchObject({ code: 'timeout', mayHaveReachedTerminal: true });
		const late = await waitFor(() =>
			events.find((e) => e.type === 'result' && e.merchantOrderNo === 'ORD-10')
		);
		expect(late).toMatchObject({ outcome: { status: 'approved' } });
	});

	it('accepts an ack that comes late but within 1000 ms', async () => {
		const { driver } = await setup({ faults: { lateAckMs: 300 } });
		expect((await driver.sale(sale('ORD-11'))).status).toBe('approved');
	});

	it('when the result is lost, times out as maybe-reached and queries before the next request', async () => {
		const { simulator, driver } = await setup(
			{ faults: { resultLostThenQueryable: true } },
			{},
			{ saleTimeoutMs: 200 }
		);
		const error = await rejection(driver.sale(sale('ORD-12')));
		expect(error).toMatchObject({ code: 'timeout', mayHaveReachedTerminal: true });
		expect(await driver.sale(sale('ORD-13'))).toMatchObject({ status: 'approved' });
		expect(
			simulator.requests.map((r) => [r.funcType, r.fields.orderId ?? r.fields.out_trade_no])
		).toEqual([
			[1001, 'ORD-12'],
			[4001, 'ORD-12'],
			[1001, 'ORD-13']
		]);
		expect(approvedSales(simulator).map((t) => t.orderNo)).toEqual(['ORD-12', 'ORD-13']);
	});

	it('unplugged mid-sale: connection_lost, then after replugging a query settles it with exactly one sale', async () => {
		const { simulator, driver, events, port } = await setup({
			cardMs: 100,
			faults: { unplugMidSale: true }
		});
		const error = await rejection(driver.sale(sale('ORD-14')));
		expect(error).toMatchObject({ code: 'connection_lost', mayHaveReachedTerminal: true });
		expect(driver.status()).toBe('reconnecting');
		await expect(driver.sale(sale('ORD-15'))).rejects.toMatchObject({
			code: 'not_connected',
			mayHaveReachedTerminal: false
		});

		await new Promise((resolve) => setTimeout(resolve, 150)); // the terminal finishes the card
		simulator.plug();
		const settled = await waitFor(() =>
			events.find((e) => e.type === 'result' && e.merchantOrderNo === 'ORD-14')
		);
		expect(settled).toMatchObject({ outcome: { status: 'approved', amount: 1010 } });
		expect(port.opens).toBe(2);
		expect(driver.status()).toBe('ready');
		expect(simulator.requests.map((r) => r.funcType)).toEqual([1001, 4001]);
		expect(approvedSales(simulator)).toHaveLength(1);

		expect((await driver.sale(sale('ORD-16'))).status).toBe('approved');
		expect(simulator.requests.map((r) => r.funcType)).toEqual([1001, 4001, 1001]);
	});

	it('refuses to work while disconnected and has no separate void', async () => {
		const { driver } = await setup();
		await driver.disconnect();
		expect(driver.status()).toBe('disconnected');
		await expect(driver.sale(sale('ORD-17'))).rejects.toMatchObject({
			code: 'not_connected',
			mayHaveReachedTerminal: false
		});
		await expect(
			driver.void({ merchantOrderNo: 'V', origMerchantOrderNo: 'O', amount: 1, currency: 'HKD' })
		).rejects.toMatchObject({ code: 'unsupported' });
	});
});

describe('isWebSerialSupported', () => {
	it('explains why USB terminals cannot be used', () => {
		expect(isWebSerialSupported(undefined)).toMatchObject({ supported: false });
		const firefox = isWebSerialSupported({ userAgent: 'Mozilla/5.0 Firefox/140.0' });
		expect(firefox.supported === false && firefox.reason).toMatch(/Chrome or Edge/);
		const android = isWebSerialSupported({
			userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/130'
		});
		expect(android.supported === false && android.reason).toMatch(/148/);
		const webView = isWebSerialSupported({
			userAgent: 'Mozilla/5.0 (Linux; Android 14; wv) AppleWebKit/537.36 Chrome/150.0 Mobile'
		});
		expect(webView.supported === false && webView.reason).toMatch(/web view.*Open it in Chrome/);
		const serial = { getPorts: async () => [], requestPort: async () => Promise.reject() };
		expect(isWebSerialSupported({ serial }, false)).toMatchObject({ supported: false });
		expect(isWebSerialSupported({ serial })).toMatchObject({ supported: true });
	});
});
