import { describe, expect, it } from 'vitest';
import { readResponse } from './outcome';
import { sign } from './sign';

const KEY = 'merchant-key';
const NO = 'POS1abc';

/** The approved example's `extra` from the vendor page (卡交易信息). */
const approvedExtra = JSON.stringify({
	cardType: 'M',
	cardNum: 'XXXXXXXXXXXX1166',
	emvLabel: 'MASTERCARD',
	termInvoiceNum: '724172',
	authNum: '01046Z',
	receiptDisp: '000 Approved 00 Thank You',
	trxCode: '00'
});

function answer(
	status: number,
	extra = approvedExtra,
	more: Record<string, unknown> = {}
): Record<string, unknown> {
	const body: Record<string, unknown> = {
		retCode: 'SUCCESS',
		resCode: 'SUCCESS',
		retParams: '',
		mchOrderNo: NO,
		payOrder: { payOrderId: 'CP1', mchOrderNo: NO, amount: 1234, status, extra },
		...more
	};
	return { ...body, sign: sign(body, KEY) };
}

const read = (body: unknown) =>
	readResponse(body, { key: KEY, merchantOrderNo: NO, amount: 1234, currency: 'CAD' });

describe('reading IOT Pay answers', () => {
	it('status 2 and 3 are approved, with the card details and the invoice number', () => {
		for (const status of [2, 3]) {
			expect(read(answer(status))).toEqual({
				kind: 'final',
				outcome: {
					status: 'approved',
					reference: '724172',
					cardBrand: 'MASTERCARD',
					maskedCard: '•••• 1166',
					authCode: '01046Z',
					message: '000 Approved 00 Thank You',
					code: String(status)
				}
			});
		}
	});

	it('status 4 and 9 are cancelled, with the terminal text', () => {
		const extra = JSON.stringify({ cardNum: '', receiptDisp: 'Transaction Not Completed 05' });
		for (const status of [4, 9]) {
			const reading = read(answer(status, extra));
			expect(reading).toMatchObject({
				kind: 'final',
				outcome: { status: 'cancelled', message: 'Transaction Not Completed 05' }
			});
		}
	});

	it('status 0 and 1 are pending', () => {
		expect(read(answer(1))).toEqual({ kind: 'pending', status: 1 });
		expect(read(answer(0))).toEqual({ kind: 'pending', status: 0 });
	});

	it('FAIL is refused before the bank, and says when it is about the signature', () => {
		expect(read({ retCode: 'FAIL', retMsg: 'signature fail' })).toEqual({
			kind: 'refused',
			message: 'signature fail',
			signatureFault: true
		});
		expect(read({ retCode: 'SUCCESS', resCode: 'FAIL', retMsg: 'amount error' })).toMatchObject({
			kind: 'refused',
			signatureFault: false
		});
	});

	it('never approves what is unsigned, wrongly signed, malformed, elsewhere or contradictory', () => {
		const good = answer(2);
		const cases: unknown[] = [
			{ ...good, sign: undefined },
			{ ...good, sign: '' },
			{ ...good, sign: 'A'.repeat(32) },
			answer(2, approvedExtra, { payOrder: { mchOrderNo: 'OTHER', status: 2 } }),
			answer(2, approvedExtra, { payOrder: { mchOrderNo: NO, status: 2, amount: 1 } }),
			answer(2, approvedExtra, { payOrder: undefined }),
			answer(2, approvedExtra, {
				payOrder: { mchOrderNo: NO, status: 2, amount: 1234, currency: 'USD' }
			}),
			answer(7),
			{ retCode: 'FAIL', payOrder: { mchOrderNo: NO, status: 2 } },
			{ retCode: 'MAYBE' },
			'not an object',
			null
		];
		for (const body of cases) expect(read(body).kind, JSON.stringify(body)).toBe('unknown');
		// A FAIL with a wrong signature is not believed either.
		expect(read({ retCode: 'FAIL', retMsg: 'x', sign: 'B'.repeat(32) }).kind).toBe('unknown');
	});
});
