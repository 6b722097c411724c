/**
 * Every Open API method name the gateway client sends, in one table (NOTES.md §2), so that a name
 * can be corrected here without touching a caller. `confirmed: false` marks the names that the
 * spec page does not show (the card-present operations) and that no public SDK confirms either:
 * they are our best guess and must be checked against the gateway before production use.
 */
export const METHODS = {
	/** Push an order (sale, void, refund, pre-auth...) to a terminal in cloud mode. */
	pushOrder: { name: 'wisehub.cloud.pay.order', confirmed: true },
	/** Take a not yet paid order (trans_status 9) off the terminal's queue. */
	closeOrder: { name: 'wisehub.cloud.pay.close', confirmed: true },
	queryOrder: { name: 'order.query', confirmed: true },
	refundSubmit: { name: 'order.refund.submit', confirmed: true },
	refundQuery: { name: 'order.refund.query', confirmed: true },
	/** Cancel Order: QR and e-commerce only, not offline card transactions. */
	revokeOrder: { name: 'order.revoker', confirmed: true },
	tipAdjustment: { name: 'tip.adjustment', confirmed: true },
	batchClose: { name: 'batch.close', confirmed: true },
	hostedCheckout: { name: 'pay.checkout', confirmed: true },
	/** Hosted checkout on PayCloud-branded gateways (NOTES.md §2). */
	paycloudCheckout: { name: 'pay.paycloud.checkout', confirmed: true },
	merchantCheckout: { name: 'pay.merchant.checkout', confirmed: true },
	/** In the public Java SDK. */
	preauth: { name: 'pay.preauth', confirmed: true },
	/** Capture Payment of the spec page; `pay.preauth.complete` in the public Java SDK. */
	capture: { name: 'pay.preauth.complete', confirmed: true },
	/** Cancel Payment of the spec page; `pay.preauth.cancel` in the public Java SDK. */
	cancelPayment: { name: 'pay.preauth.cancel', confirmed: true },
	incrementalAuthorization: { name: 'pay.preauth.increment', confirmed: false },
	refundPayment: { name: 'pay.refund', confirmed: false },
	cardTipAdjustment: { name: 'pay.tip.adjust', confirmed: false },
	recall: { name: 'pay.recall', confirmed: false },
	cardBatchClose: { name: 'pay.batch.close', confirmed: false },
	openBatch: { name: 'pay.batch.open', confirmed: false }
} as const satisfies Record<string, { name: string; confirmed: boolean }>;

export type MethodKey = keyof typeof METHODS;

/** `trans_type` of `wisehub.cloud.pay.order` (NOTES.md §1, the same codes as the LAN protocol). */
export const TRANS_TYPE = {
	sale: 1,
	void: 2,
	refund: 3,
	preauth: 4,
	preauthCancel: 5,
	preauthCompletion: 6,
	completionCancel: 7,
	completionRefund: 8,
	saleWithCashback: 11
} as const;

/** `trans_status` (NOTES.md §1): settle only on 2 (NOTES.md §2). */
export const TRANS_STATUS = {
	created: 9,
	inProgress: 0,
	failed: 1,
	success: 2,
	cancelled: 3
} as const;

/** Fields every call carries (NOTES.md §2: sent on every call, card-present ones too). */
export const COMMON_FIELDS = {
	format: 'JSON',
	charset: 'UTF-8',
	sign_type: 'RSA2',
	version: '1.0'
} as const;

/** `message_receiving_application` for CodePay (PayCloud-branded gateways use WISECASHIER). */
export const RECEIVING_APPLICATION = 'CodePay Register';
