/**
 * Each card-present operation sends the spec page's fields under the method name of the table,
 * with the common fields and a signature over exactly what was sent; its signed answer is parsed.
 * The gateway here is a fetch stand-in that verifies and answers like one, signing with its key.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	cancelPayment,
	capture,
	cardBatchClose,
	cardTipAdjustment,
	incrementalAuthorization,
	openBatch,
	recall,
	refundPayment
} from './card-present';
import { canonicalString, type WireValue } from './canonical';
import { CodePayGateway } from './gateway-client';
import { METHODS } from './methods';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });

function standIn(data: unknown) {
	const seen: Record<string, WireValue>[] = [];
	const fakeFetch: typeof fetch = async (_url, init) => {
		const body = JSON.parse(String(init?.body)) as Record<string, WireValue>;
		const ok = verify(
			'sha256',
			Buffer.from(canonicalString(body)),
			merchant.publicKey,
			Buffer.from(String(body.sign), 'base64')
		);
		seen.push(body);
		const answer: Record<string, unknown> = { code: ok ? '0' : '40002', msg: 'success', data };
		const text = canonicalString({
			code: answer.code as string,
			msg: 'success',
			data: JSON.stringify(data)
		});
		answer.sign = sign('sha256', Buffer.from(text), gateway.privateKey).toString('base64');
		return new Response(JSON.stringify(answer), { status: 200 });
	};
	const client = new CodePayGateway(
		{
			gatewayUrl: 'http://gateway.test/api/entry',
			appId: 'app',
			merchantNo: '302100041048',
			privateKey: merchant.privateKey,
			gatewayPublicKey: gateway.publicKey
		},
		{ fetch: fakeFetch, log: () => {} }
	);
	return { client, seen };
}

const approval = {
	resp_msg: '[000]APPROVAL',
	resp_code: '000',
	trans_no: '50023000003250910000008',
	auth_no: '919070',
	trans_time: '2025-09-10 20:07:21',
	trans_status: 2
};
const common = {
	format: 'JSON',
	charset: 'UTF-8',
	sign_type: 'RSA2',
	version: '1.0',
	app_id: 'app'
};

describe('card-present operations', () => {
	it('capture, incremental, cancel, refund, tip, recall send the page fields, signed', async () => {
		const { client, seen } = standIn(approval);
		const results = [
			await capture(client, {
				merchantOrderNo: 'M1',
				transNo: 'T1',
				amount: 8500,
				currency: 'USD'
			}),
			await incrementalAuthorization(client, { transNo: 'T1', amount: 8500, currency: 'USD' }),
			await cancelPayment(client, { merchantOrderNo: 'M2', transNo: 'T1' }),
			await refundPayment(client, {
				merchantOrderNo: 'M3',
				transNo: 'T1',
				amount: 200,
				currency: 'USD'
			}),
			await cardTipAdjustment(client, { transNo: 'T1', tip: 100, currency: 'USD' }),
			await recall(client, { transNo: 'T1' })
		];
		for (const result of results)
			expect(result).toMatchObject({ kind: 'ok', data: { trans_status: 2 } });
		expect(seen.map((s) => s.method)).toEqual([
			METHODS.capture.name,
			METHODS.incrementalAuthorization.name,
			METHODS.cancelPayment.name,
			METHODS.refundPayment.name,
			METHODS.cardTipAdjustment.name,
			METHODS.recall.name
		]);
		for (const body of seen) expect(body).toMatchObject(common);
		expect(seen[0]).toMatchObject({ merchant_order_no: 'M1', trans_no: 'T1', trans_amount: 85 });
		expect(seen[1]).toMatchObject({ trans_no: 'T1', trans_amount: 85 });
		expect(seen[3]).toMatchObject({ merchant_order_no: 'M3', order_amount: 2 });
		expect(seen[3]).not.toHaveProperty('tip_amount');
		expect(seen[4]).toMatchObject({ trans_no: 'T1', tip_amount: 1 });
	});

	it('batch close and open batch send the terminal list as JSON text and read the totals', async () => {
		const { client, seen } = standIn({ count: 1, total_amount: 100 });
		const closed = await cardBatchClose(client, {
			storeNo: '4021000008',
			terminalSns: ['WPYB1', 'WPYB2']
		});
		const open = await openBatch(client, { terminalSns: [] });
		expect(closed).toMatchObject({ kind: 'ok', data: { count: 1, total_amount: '100' } });
		expect(open.kind).toBe('ok');
		expect(seen[0]).toMatchObject({
			method: METHODS.cardBatchClose.name,
			store_no: '4021000008',
			terminal_sn_list: '["WPYB1","WPYB2"]',
			merchant_no: '302100041048'
		});
	});

	it('marks the names no SDK confirms', () => {
		const unconfirmed = Object.entries(METHODS)
			.filter(([, m]) => !m.confirmed)
			.map(([key]) => key);
		expect(unconfirmed).toEqual([
			'incrementalAuthorization',
			'refundPayment',
			'cardTipAdjustment',
			'recall',
			'cardBatchClose',
			'openBatch'
		]);
	});
});
