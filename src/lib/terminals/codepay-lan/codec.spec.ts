import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TerminalError } from '../driver';
import {
	buildEnvelope,
	buildOrder,
	buildOrderBiz,
	checkForecourt,
	decodeFrame,
	paymentOutcome,
	serialize,
	tipAdjustOutcome,
	type PosOrder
} from './codec';
import { requestEnvelopeSchema, type InboundMessage, type PaymentMessage } from './messages';
import { fromWireAmount, toWireAmount } from './wire-amount';

const sale: PosOrder = { transType: '1', merchantOrderNo: 'A100', amount: 3450, currency: 'USD' };

function decoded(frame: unknown): InboundMessage {
	const result = decodeFrame(typeof frame === 'string' ? frame : JSON.stringify(frame));
	if (!result.ok) throw new Error(result.error.message);
	return result.message;
}

function payment(frame: Record<string, unknown>): PaymentMessage {
	const message = decoded({ topic: 'ecrhub.pay.order', ...frame });
	if (message.topic !== 'ecrhub.pay.order' && message.topic !== 'ecrhub.pay.query')
		throw new Error();
	return message;
}

describe('wire amounts', () => {
	it('writes major units with the currency exponent', () => {
		expect(toWireAmount(3450, 'USD')).toBe('34.50');
		expect(toWireAmount(5, 'USD')).toBe('0.05');
		expect(toWireAmount(500, 'JPY')).toBe('500');
		expect(toWireAmount(1234, 'KWD')).toBe('1.234');
	});

	it('reads them back exactly, and refuses sub-minor digits', () => {
		expect(fromWireAmount('34.5', 'USD')).toBe(3450);
		expect(fromWireAmount('34.500', 'USD')).toBe(3450);
		expect(fromWireAmount('34.505', 'USD')).toBeUndefined();
		expect(fromWireAmount('-1.00', 'USD')).toBeUndefined();
		expect(fromWireAmount('1e3', 'USD')).toBeUndefined();
	});

	it('round-trips every amount', () => {
		fc.assert(
			fc.property(fc.nat({ max: 10 ** 12 }), fc.constantFrom('USD', 'JPY', 'KWD'), (minor, cur) => {
				expect(fromWireAmount(toWireAmount(minor, cur), cur)).toBe(minor);
			})
		);
	});
});

describe('request envelopes', () => {
	it('carries a fresh request id, a ms timestamp string, version 1.0 and the app id', () => {
		const a = buildOrder(sale, 'codepay', { appId: 'APP', now: 1698302992263 });
		const b = buildOrder(sale, 'codepay', { appId: 'APP' });
		expect(a).toMatchObject({
			topic: 'ecrhub.pay.order',
			timestamp: '1698302992263',
			version: '1.0',
			app_id: 'APP'
		});
		expect(a.request_id).not.toBe(b.request_id);
		expect(requestEnvelopeSchema.safeParse(JSON.parse(serialize(a))).success).toBe(true);
	});

	it('puts amounts as decimal strings and trans_type as a string', () => {
		const biz = buildOrderBiz({ ...sale, tip: 500, onScreenSignature: true }, 'codepay');
		expect(biz).toEqual({
			trans_type: '1',
			merchant_order_no: 'A100',
			price_currency: 'USD',
			order_amount: '34.50',
			tip_amount: '5.00',
			on_screen_signature: true
		});
	});

	it('needs the original order for void, refund and completion', () => {
		expect(() => buildOrderBiz({ ...sale, transType: '3' }, 'codepay')).toThrow(
			/orig_merchant_order_no/
		);
		expect(
			buildOrderBiz({ ...sale, transType: '3', origMerchantOrderNo: 'A1' }, 'codepay')
		).toMatchObject({ trans_type: '3', orig_merchant_order_no: 'A1' });
	});

	it('refuses order numbers the terminal would reject, before sending', () => {
		const attempt = () => buildOrderBiz({ ...sale, merchantOrderNo: 'abc-123' }, 'codepay');
		expect(attempt).toThrow(TerminalError);
		expect(attempt).toThrow(/letters or digits/);
	});

	it('leaves CodePay-only fields out for WiseCashier', () => {
		const biz = buildOrderBiz({ ...sale, onScreenSignature: true }, 'wisecashier');
		expect(biz).not.toHaveProperty('price_currency');
		expect(biz).not.toHaveProperty('on_screen_signature');
	});

	it('checks that fuel lines add up to the order amount', () => {
		const lines = [
			{ code: '02', quantity: '1.050', amount: 2000 },
			{ code: '03', quantity: '0.500', amount: 1000 }
		];
		expect(checkForecourt(lines, 3450, 'ZAR')).toBe(
			'Fuel lines add up to 30.00 ZAR but the order is 34.50 ZAR'
		);
		expect(checkForecourt(lines, 3000, 'ZAR')).toBeUndefined();
		const order = { ...sale, currency: 'ZAR', amount: 3000, forecourt: lines };
		expect(buildOrderBiz(order, 'wisecashier').forecourt_data).toEqual([
			{ code: '02', quantity: '1.050', amount: '2000' },
			{ code: '03', quantity: '0.500', amount: '1000' }
		]);
		expect(() => buildOrderBiz({ ...order, amount: 3450 }, 'wisecashier')).toThrow(
			'Fuel lines add up to 30.00 ZAR but the order is 34.50 ZAR'
		);
		expect(() => buildOrderBiz(order, 'codepay')).toThrow(/WiseCashier/);
	});

	it('builds heartbeats with an empty biz_data', () => {
		expect(buildEnvelope('ecrhub.heartbeat', {}, { appId: 'A' }).biz_data).toEqual({});
	});
});

describe('decoding inbound frames', () => {
	const approved = {
		topic: 'ecrhub.pay.order',
		request_id: 'r1',
		response_code: '000',
		biz_data: {
			merchant_order_no: 'A100',
			trans_type: '1',
			trans_status: '2',
			trans_no: '5021000010210602000003',
			order_amount: '34.50',
			tip_amount: '5.00',
			pay_method_id: 'Visa',
			card_no: '411111******1111',
			auth_code: '123456'
		}
	};

	it('accepts text and binary frames', () => {
		const text = JSON.stringify(approved);
		expect(decodeFrame(text).ok).toBe(true);
		expect(decodeFrame(new TextEncoder().encode(text)).ok).toBe(true);
		expect(decodeFrame(new TextEncoder().encode(text).buffer).ok).toBe(true);
	});

	it('returns typed errors for junk, never throws', () => {
		const kinds = [
			decodeFrame('}{'),
			decodeFrame(new Uint8Array([0xff, 0xfe])),
			decodeFrame('[1]'),
			decodeFrame(JSON.stringify({ topic: 'ecrhub.nope', response_code: '000' })),
			decodeFrame(JSON.stringify({ topic: 'ecrhub.pay.order', request_id: 'x' })),
			decodeFrame(JSON.stringify({ ...approved, biz_data: { trans_status: { x: 1 } } })),
			decodeFrame(JSON.stringify({ ...approved, biz_data: { order_amount: '12,50' } })),
			decodeFrame(JSON.stringify({ ...approved, biz_data: 'not json' })),
			decodeFrame(42)
		].map((r) => (r.ok ? 'ok' : r.error.kind));
		expect(kinds).toEqual([
			'not_json',
			'not_text',
			'invalid',
			'unknown_topic',
			'not_response',
			'invalid',
			'invalid',
			'invalid',
			'not_text'
		]);
	});

	it('never throws on arbitrary input', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.json(), fc.uint8Array()), (input) => {
				expect(() => decodeFrame(input)).not.toThrow();
			})
		);
	});

	it('maps an approval to what the cashier sees, amounts in minor units', () => {
		expect(paymentOutcome(payment(approved), 'USD')).toEqual({
			status: 'approved',
			code: '000',
			reference: '5021000010210602000003',
			cardBrand: 'Visa',
			maskedCard: '411111******1111',
			authCode: '123456',
			amount: 3950,
			tip: 500
		});
	});

	it('reads unset fields sent as null or "" as absent, and keeps the approval', () => {
		const message = payment({
			...approved,
			response_msg: null,
			biz_data: {
				...approved.biz_data,
				tip_amount: '',
				pay_method_id: null,
				trans_no: null,
				card_no: ''
			}
		});
		const outcome = paymentOutcome(message, 'USD');
		expect(outcome).toMatchObject({ status: 'approved', authCode: '123456' });
		expect(outcome.reference).toBeUndefined();
		expect(outcome.maskedCard).toBeUndefined();
	});

	it('treats "0" as success too', () => {
		expect(paymentOutcome(payment({ ...approved, response_code: '0' }), 'USD').status).toBe(
			'approved'
		);
		expect(paymentOutcome(payment({ ...approved, response_code: 0 }), 'USD').status).toBe(
			'approved'
		);
	});

	it('maps 110 with an empty-string biz_data to cancelled', () => {
		const message = payment({ response_code: '110', response_msg: 'User cancel', biz_data: '' });
		expect(message.biz_data).toBeUndefined();
		expect(paymentOutcome(message, 'USD')).toEqual({
			status: 'cancelled',
			code: '110',
			message: 'User cancel'
		});
	});

	it('maps any other code to a decline with the terminal message', () => {
		const message = payment({ response_code: '112', response_msg: 'Timeout waiting for card' });
		expect(paymentOutcome(message, 'USD')).toMatchObject({
			status: 'declined',
			code: '112',
			message: 'Timeout waiting for card'
		});
		expect(paymentOutcome(payment({ response_code: '999' }), 'USD').message).toMatch(/999/);
	});

	it('reads trans_status: failed, cancelled, in progress', () => {
		const status = (s: string) =>
			paymentOutcome(payment({ ...approved, biz_data: { trans_status: s } }), 'USD').status;
		expect([status('1'), status('3'), status('0'), status('9')]).toEqual([
			'declined',
			'cancelled',
			'unknown',
			'unknown'
		]);
	});

	it('reports a failed query as unknown, not declined', () => {
		const message = payment({
			topic: 'ecrhub.pay.query',
			response_code: '104',
			response_msg: 'Order not found'
		});
		expect(paymentOutcome(message, 'USD')).toMatchObject({
			status: 'unknown',
			message: 'Order not found'
		});
	});

	it('unwraps a stringified biz_data', () => {
		const message = payment({ ...approved, biz_data: JSON.stringify(approved.biz_data) });
		expect(paymentOutcome(message, 'USD').reference).toBe('5021000010210602000003');
	});

	it('maps tip adjustments', () => {
		const message = decoded({
			topic: 'ecrhub.pay.tip.adjustment',
			response_code: '000',
			biz_data: { merchant_order_no: 'A100', tip_adjustment_amount: '7.00', total_amount: '41.50' }
		});
		if (message.topic !== 'ecrhub.pay.tip.adjustment') throw new Error();
		expect(tipAdjustOutcome(message, 'USD')).toEqual({
			status: 'approved',
			code: '000',
			tip: 700,
			amount: 4150
		});
	});
});
