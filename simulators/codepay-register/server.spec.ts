/** The simulator must be as strict as the spec, or tests against it prove nothing. */
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startCodePaySimulator, type CodePaySimulator } from './server.js';

type Frame = Record<string, unknown>;
let sim: CodePaySimulator | undefined;
let socket: WebSocket | undefined;

afterEach(async () => {
	socket?.terminate();
	await sim?.close();
});

async function open(options: Parameters<typeof startCodePaySimulator>[0] = {}) {
	sim = await startCodePaySimulator({ port: 0, cardMs: 10, appId: 'APP', ...options });
	const ws = new WebSocket(sim.url);
	socket = ws;
	const inbox: Frame[] = [];
	ws.on('message', (data) => inbox.push(JSON.parse(data.toString()) as Frame));
	await new Promise((resolve) => ws.once('open', resolve));
	let n = 0;
	/** Sends one request and resolves with the answer carrying its request_id. */
	const ask = (frame: Frame): Promise<Frame> => {
		const id = `r${++n}`;
		ws.send(
			JSON.stringify({
				request_id: id,
				timestamp: String(Date.now()),
				version: '1.0',
				app_id: 'APP',
				...frame
			})
		);
		return new Promise((resolve) => {
			const check = () => {
				const found = inbox.find((f) => f.request_id === id);
				if (found) {
					inbox.splice(inbox.indexOf(found), 1);
					resolve(found);
				} else setTimeout(check, 5);
			};
			check();
		});
	};
	return { ask, inbox };
}

const sale = (no: string, extra: Frame = {}) => ({
	topic: 'ecrhub.pay.order',
	biz_data: { trans_type: '1', merchant_order_no: no, order_amount: '34.50', ...extra }
});

describe('CodePay simulator', () => {
	it('approves a well-formed sale and echoes the request id', async () => {
		const { ask } = await open();
		const answer = await ask(sale('A1'));
		expect(answer).toMatchObject({
			topic: 'ecrhub.pay.order',
			request_id: 'r1',
			response_code: '000',
			biz_data: { merchant_order_no: 'A1', trans_status: '2', order_amount: '34.50' }
		});
		expect(sim?.salesFor('A1')).toHaveLength(1);
	});

	it.each([
		[{ app_id: 'OTHER' }, '106', /app id/i],
		[{ app_id: undefined }, '102', /app_id/],
		[{ version: '2.0' }, '102', /version/],
		[{ biz_data: 'x' }, '102', /biz_data/],
		[
			{ biz_data: { trans_type: 1, merchant_order_no: 'A1', order_amount: '1.00' } },
			'102',
			/trans_type/
		],
		[
			{ biz_data: { trans_type: '1', merchant_order_no: 'A-1', order_amount: '1.00' } },
			'102',
			/merchant_order_no/
		],
		[
			{ biz_data: { trans_type: '1', merchant_order_no: 'A1', order_amount: 34.5 } },
			'102',
			/order_amount/
		],
		[
			{ biz_data: { trans_type: '1', merchant_order_no: 'A1', order_amount: '34.505' } },
			'102',
			/order_amount/
		],
		[
			{ biz_data: { trans_type: '3', merchant_order_no: 'R1', order_amount: '1.00' } },
			'102',
			/orig_merchant_order_no/
		],
		[
			{
				biz_data: {
					trans_type: '1',
					merchant_order_no: 'A1',
					order_amount: '1.00',
					on_screen_tip: 'yes'
				}
			},
			'102',
			/on_screen_tip/
		],
		[{ biz_data: { ...sale('A1').biz_data, description: 5 } }, '102', /description/],
		[{ biz_data: { ...sale('A1').biz_data, expires: 180 } }, '102', /expires/],
		[{ biz_data: { ...sale('A1').biz_data, card_type: 9 } }, '102', /card_type/],
		[{ biz_data: { ...sale('A1').biz_data, attach: {} } }, '102', /attach/],
		[{ topic: 'ecrhub.pay.nothing' }, '107', /topic/]
	])('rejects %j with %s', async (override, code, message) => {
		const { ask } = await open();
		const answer = await ask({ ...sale('A1'), ...override });
		expect(answer.response_code).toBe(code);
		expect(answer.response_msg).toMatch(message);
		expect(sim?.salesFor('A1')).toHaveLength(0);
	});

	it('does not charge a duplicate merchant_order_no twice', async () => {
		const { ask } = await open();
		const [first, second] = await Promise.all([ask(sale('D1')), ask(sale('D1'))]);
		expect(first?.response_code).toBe('000');
		expect(second?.biz_data).toEqual(first?.biz_data);
		const third = await ask(sale('D1'));
		expect(third.biz_data).toEqual(first?.biz_data);
		expect(sim?.salesFor('D1')).toHaveLength(1);
	});

	it('requires a request_id with confirmation on the terminal', async () => {
		const { inbox } = await open();
		socket?.send(
			JSON.stringify({
				timestamp: String(Date.now()),
				version: '1.0',
				app_id: 'APP',
				...sale('C1', { confirm_on_terminal: true })
			})
		);
		while (inbox.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		expect(inbox[0]).toMatchObject({ response_code: '102' });
		expect(inbox[0]?.response_msg).toMatch(/request_id/);
		expect(sim?.salesFor('C1')).toHaveLength(0);
	});

	it('refuses a merchant_order_no reused for another operation, and answers it no result', async () => {
		const { ask } = await open();
		expect((await ask(sale('U1'))).response_code).toBe('000');
		const refund = await ask({
			topic: 'ecrhub.pay.order',
			biz_data: {
				trans_type: '3',
				merchant_order_no: 'U1',
				orig_merchant_order_no: 'U1',
				order_amount: '1.00'
			}
		});
		expect(refund).toMatchObject({ response_code: '102' });
		expect(refund.response_msg).toMatch(/already used/);
		expect((await ask(sale('U1', { order_amount: '99.00' }))).response_code).toBe('102');
		expect(sim?.salesFor('U1')).toHaveLength(1);
	});

	it('refuses a second order while one is waiting for the card', async () => {
		const { ask } = await open({ cardMs: 200 });
		const first = ask(sale('B1'));
		const second = await ask(sale('B2'));
		expect(second).toMatchObject({ response_code: '113' });
		expect((await first).response_code).toBe('000');
	});

	it('answers queries, closes and heartbeats', async () => {
		const { ask } = await open({ cardMs: 200 });
		expect(await ask({ topic: 'ecrhub.heartbeat', biz_data: {} })).toMatchObject({
			response_code: '000'
		});
		expect(
			await ask({ topic: 'ecrhub.pay.query', biz_data: { merchant_order_no: 'NOPE' } })
		).toMatchObject({
			response_code: '104'
		});
		const pending = ask(sale('C1'));
		await new Promise((r) => setTimeout(r, 20));
		expect(
			await ask({ topic: 'ecrhub.pay.query', biz_data: { merchant_order_no: 'C1' } })
		).toMatchObject({
			response_code: '000',
			biz_data: { trans_status: '0' }
		});
		expect(
			await ask({ topic: 'ecrhub.pay.close', biz_data: { merchant_order_no: 'C1' } })
		).toMatchObject({
			response_code: '000'
		});
		expect(await pending).toMatchObject({ response_code: '110' });
		expect(
			await ask({ topic: 'ecrhub.pay.close', biz_data: { merchant_order_no: 'C1' } })
		).toMatchObject({
			response_code: '105'
		});
	});

	it('requires a timestamp and checks fuel lines in the WiseCashier profile', async () => {
		const { ask } = await open({ profile: 'wisecashier', currency: 'ZAR' });
		const lines = [{ code: '02', quantity: '1.050', amount: '3000' }];
		expect(
			(await ask({ ...sale('F1', { forecourt_data: lines }), timestamp: undefined })).response_msg
		).toMatch(/timestamp/);
		expect((await ask(sale('F1', { forecourt_data: lines }))).response_msg).toMatch(
			/forecourt_data/
		);
		expect(
			(await ask(sale('F2', { order_amount: '30.00', forecourt_data: lines }))).response_code
		).toBe('000');
	});

	it('answers 110 with an empty biz_data when the customer cancels', async () => {
		const { ask } = await open();
		sim?.setFaults({ customerCancel: true });
		expect(await ask(sale('X1'))).toMatchObject({ response_code: '110', biz_data: '' });
	});
});
