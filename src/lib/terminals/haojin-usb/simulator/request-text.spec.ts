import { describe, expect, it } from 'vitest';
import { DEFAULT_POS_KEY } from '../cipher';
import { envelopeText } from '../envelope';
import { digestMatches, minorFromMajor, parseRequestText } from './request-text';

describe("the simulated terminal's reading of a request", () => {
	it('reads what the POS writes and checks its digest with the POS-KEY', () => {
		const text = envelopeText(
			{ func_type: 1001, amt: 10.1, channel: 'card_payment', out_trade_no: 'A-1', memo: '' },
			DEFAULT_POS_KEY
		);
		const request = parseRequestText(text);
		expect(request?.fields).toEqual({
			amt: { text: '10.1', quoted: false },
			channel: { text: 'card_payment', quoted: true },
			func_type: { text: '1001', quoted: false },
			memo: { text: '', quoted: true },
			out_trade_no: { text: 'A-1', quoted: true }
		});
		expect(request && digestMatches(request, DEFAULT_POS_KEY)).toBe(true);
		expect(request && digestMatches(request, 'x'.repeat(32))).toBe(false);
	});

	it('checks the known answer and refuses anything else', () => {
		const request = parseRequestText(
			"{content:{func_type=4001,orderId='12345678'}, digest:'99CE8BF9C7304AC964522D10F51660B4'}"
		);
		expect(request && digestMatches(request, DEFAULT_POS_KEY)).toBe(true);
		expect(parseRequestText('{"content":{}}')).toBeUndefined();
		expect(
			parseRequestText("{content:{a=b}, digest:'99CE8BF9C7304AC964522D10F51660B4'}")
		).toBeUndefined();
	});

	it('turns major-unit amounts into cents', () => {
		expect(minorFromMajor('10.1')).toBe(1010);
		expect(minorFromMajor('3.00')).toBe(300);
		expect(minorFromMajor('7')).toBe(700);
		expect(minorFromMajor('1.234')).toBeUndefined();
	});
});
