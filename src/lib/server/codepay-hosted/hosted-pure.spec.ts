/** The pure parts of hosted checkout: its request fields, a terminal's settings, what a return shows. */
import { describe, expect, it } from 'vitest';
import type { CloudOrder } from '../store/cloud-order-store';
import { checkoutFields, MAX_EXPIRES_S } from './checkout-fields';
import { checkoutSettingsOf } from './checkout-settings';
import { refundableLeft } from './hosted-checkout';
import { hashReturnRef, isReturnRef, newReturnRef } from './return-ref';
import { returnStatusOf } from './return-status';

const order = (over: Partial<CloudOrder> = {}): CloudOrder => ({
	merchantOrderNo: 'A1',
	deviceId: 'd',
	terminalId: 't',
	kind: 'sale',
	amount: 1000,
	tip: 0,
	currency: 'USD',
	origMerchantOrderNo: null,
	state: 'sent',
	transNo: null,
	outcome: null,
	expiresAt: 10_000,
	nextPollAt: 0,
	polls: 0,
	createdAt: 0,
	updatedAt: 0,
	hosted: 'link',
	payUrl: null,
	returnRef: null,
	...over
});

describe('checkout fields', () => {
	const input = {
		merchantOrderNo: 'A1',
		amount: 1050,
		currency: 'JPY',
		expiresS: 600,
		description: 'x'.repeat(200),
		lines: [{ name: 'Tea', quantity: 1, unitPrice: 1050, amount: 1050 }],
		allowOptions: [],
		notifyUrl: 'https://pos.example/api/notify/codepay-cloud'
	};

	it('sends major units in the currency, the detail as JSON text, descriptions cut to 128', () => {
		const fields = checkoutFields(input);
		expect(fields.order_amount).toBe(1050);
		expect(String(fields.description)).toHaveLength(128);
		expect(typeof fields.order_detail).toBe('string');
		expect(JSON.parse(String(fields.order_detail))).toEqual({
			type: 'GENERAL',
			data: { items: [{ name: 'Tea', quantity: 1, unit_price: 1050, amount: 1050 }] }
		});
		expect(checkoutFields({ ...input, currency: 'USD' }).order_amount).toBe(10.5);
	});

	it('refuses a validity the spec does not allow', () => {
		expect(() => checkoutFields({ ...input, expiresS: 0 })).toThrow(RangeError);
		expect(() => checkoutFields({ ...input, expiresS: MAX_EXPIRES_S + 1 })).toThrow(RangeError);
	});
});

describe('a pay-by-link terminal’s settings', () => {
	it('defaults to pay.checkout, 15 minutes and every payment option', () => {
		expect(checkoutSettingsOf({})).toEqual({
			expiresS: 900,
			allowOptions: [],
			method: 'hostedCheckout',
			storeNo: undefined
		});
	});

	it('takes the PayCloud brand, bounded validity and clean options', () => {
		const s = checkoutSettingsOf({
			gatewayBrand: 'paycloud',
			expiresSeconds: 10 ** 9,
			allowOptions: 'Card, ApplePay,,"x",' + 'y'.repeat(40),
			storeNo: 4123
		});
		expect(s).toEqual({
			expiresS: MAX_EXPIRES_S,
			allowOptions: ['Card', 'ApplePay'],
			method: 'paycloudCheckout',
			storeNo: '4123'
		});
		expect(checkoutSettingsOf({ expiresSeconds: 1 }).expiresS).toBe(5);
	});
});

describe('return references', () => {
	it('are random, of one shape, and stored only as their hash', () => {
		const a = newReturnRef();
		const b = newReturnRef();
		expect(a.ref).not.toBe(b.ref);
		expect(isReturnRef(a.ref)).toBe(true);
		expect(a.hash).toBe(hashReturnRef(a.ref));
		expect(a.hash).not.toContain(a.ref);
		expect(isReturnRef('A1')).toBe(false);
		expect(isReturnRef(`${a.ref}=`)).toBe(false);
	});
});

describe('what a return shows', () => {
	it('tells paid, confirming, cancelled, failed and expired apart', () => {
		expect(returnStatusOf(order({ state: 'approved' }))).toBe('paid');
		expect(returnStatusOf(order({ state: 'unknown' }))).toBe('confirming');
		expect(returnStatusOf(order({ state: 'cancelled' }))).toBe('cancelled');
		expect(returnStatusOf(order({ state: 'declined', updatedAt: 5_000 }))).toBe('failed');
		expect(returnStatusOf(order({ state: 'declined', updatedAt: 10_000 }))).toBe('expired');
		expect(returnStatusOf(order({ state: 'failed' }))).toBe('failed');
	});
});

describe('what is left to refund', () => {
	it('counts refunds that may have gone through, not failed ones', () => {
		const paid = order({ state: 'approved', outcome: { status: 'approved', amount: 1000 } });
		const refund = (amount: number, state: CloudOrder['state']) =>
			order({ kind: 'refund', amount, state });
		expect(refundableLeft(paid, [])).toBe(1000);
		expect(
			refundableLeft(paid, [refund(300, 'approved'), refund(200, 'unknown'), refund(400, 'failed')])
		).toBe(500);
		expect(refundableLeft(paid, [refund(1000, 'approved'), refund(5, 'sending')])).toBe(0);
	});
});
