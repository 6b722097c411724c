import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CodePayGateway, type GatewayLogLine } from './gateway-client';
import { pushOrderDataSchema, transactionSchema } from './schemas';
import { startTestGateway, type TestGateway } from './test-gateway';

let gw: TestGateway;
const lines: GatewayLogLine[] = [];
let client: CodePayGateway;

beforeAll(async () => {
	gw = await startTestGateway(100);
	client = new CodePayGateway(gw.credentials, { log: (line) => lines.push(line) });
});
afterAll(() => gw.sim.close());
beforeEach(() =>
	gw.sim.setFaults({ badResponseSignature: false, unsignedResponse: false, clockSkewMs: 0 })
);

let n = 0;
const order = (fields: Record<string, unknown> = {}) => ({
	terminal_sn: 'WPYB002248000865',
	message_receiving_application: 'CodePay Register',
	price_currency: 'USD',
	order_amount: 12.5,
	trans_type: 1,
	merchant_order_no: `T${Date.now()}${++n}`,
	description: '拿铁咖啡',
	expires: 300,
	api_version: '2.0',
	...fields
});

async function settled(merchantOrderNo: string) {
	for (;;) {
		const result = await client.call(
			'queryOrder',
			{ merchant_order_no: merchantOrderNo },
			transactionSchema
		);
		if (result.kind === 'ok' && ![0, 9].includes(result.data.trans_status)) return result.data;
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe('gateway client against the simulator', () => {
	it('pushes a signed order the gateway accepts, and reads the signed query', async () => {
		const request = order();
		const pushed = await client.call('pushOrder', request, pushOrderDataSchema);
		expect(pushed.kind).toBe('ok');
		const data = await settled(request.merchant_order_no);
		expect(data).toMatchObject({ trans_status: 2, order_amount: '12.50', price_currency: 'USD' });
		const received = gw.sim.requests().at(-1);
		expect(received).toMatchObject({ method: 'order.query', sign_type: 'RSA2', version: '1.0' });
		expect(lines.at(0)).toMatchObject({ method: 'wisehub.cloud.pay.order', code: '0' });
		expect(JSON.stringify(lines)).not.toMatch(/PRIVATE|sign=/);
	});

	it('takes a refusal signed by the gateway as refused', async () => {
		const request = order();
		await client.call('pushOrder', request, pushOrderDataSchema);
		const again = await client.call('pushOrder', request, pushOrderDataSchema);
		expect(again).toMatchObject({ kind: 'refused', code: '40006' });
		expect(
			gw.sim.orders().filter((o) => o.merchant_order_no === request.merchant_order_no)
		).toHaveLength(1);
	});

	it('never believes an answer with a wrong or missing signature: unknown', async () => {
		gw.sim.setFaults({ badResponseSignature: true });
		const first = order();
		expect(await client.call('pushOrder', first, pushOrderDataSchema)).toEqual({
			kind: 'unknown',
			reason: 'bad_signature'
		});
		gw.sim.setFaults({ badResponseSignature: false, unsignedResponse: true });
		const second = order();
		expect(await client.call('pushOrder', second, pushOrderDataSchema)).toEqual({
			kind: 'unknown',
			reason: 'unsigned'
		});
		// The gateway did take both orders: only a signed query tells what became of them.
		gw.sim.setFaults({ unsignedResponse: false });
		expect((await settled(first.merchant_order_no)).trans_status).toBe(2);
	});

	it('is refused by a gateway whose clock is more than 15 minutes off', async () => {
		gw.sim.setFaults({ clockSkewMs: 16 * 60 * 1000 });
		const result = await client.call('pushOrder', order(), pushOrderDataSchema);
		expect(result).toMatchObject({ kind: 'refused', code: '40003' });
	});

	it('says unreachable when nothing listens, unknown on a 5xx', async () => {
		const dead = new CodePayGateway(
			{ ...gw.credentials, gatewayUrl: 'http://127.0.0.1:42099/api/entry' },
			{ log: () => {} }
		);
		expect(
			(await dead.call('queryOrder', { merchant_order_no: 'x' }, transactionSchema)).kind
		).toBe('unreachable');
		gw.sim.setFaults({ http5xx: true });
		const result = await client.call('pushOrder', order(), pushOrderDataSchema);
		gw.sim.setFaults({ http5xx: false });
		expect(result).toEqual({ kind: 'unknown', reason: 'http_502' });
	});
});
