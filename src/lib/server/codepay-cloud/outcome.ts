/**
 * A signed transaction (from `order.query` or a verified notification) as the till's `Outcome`,
 * and the check that it is the attempt's: same order number, currency and amount. Pure.
 */
import { parseDecimal } from '$lib/money';
import type { CloudOrder } from '../store/cloud-order-store';
import { stateOfTransStatus, type CloudOrderState } from './order-state';
import type { Transaction } from './schemas';

function minor(text: string | undefined, currency: string): number | undefined {
	if (text === undefined) return undefined;
	try {
		return parseDecimal(text, currency);
	} catch {
		return undefined;
	}
}

export type Settlement =
	| { kind: 'final'; state: CloudOrderState; outcome: Record<string, unknown>; transNo?: string }
	| { kind: 'pending'; transNo?: string }
	| { kind: 'mismatch'; problem: string };

export function settlementOf(order: CloudOrder, tx: Transaction): Settlement {
	if (tx.merchant_order_no !== order.merchantOrderNo) {
		return { kind: 'mismatch', problem: 'another merchant_order_no' };
	}
	if (tx.price_currency !== order.currency) {
		return { kind: 'mismatch', problem: `currency ${tx.price_currency}, not ${order.currency}` };
	}
	const amount = minor(tx.order_amount, order.currency);
	if (amount !== undefined && amount !== order.amount) {
		return { kind: 'mismatch', problem: `order_amount ${tx.order_amount} is not the attempt's` };
	}
	const state = stateOfTransStatus(tx.trans_status);
	if (state === null) return { kind: 'pending', transNo: tx.trans_no };
	if (state === 'approved' && amount === undefined) {
		return { kind: 'mismatch', problem: 'a payment without order_amount' };
	}
	const tip = minor(tx.tip_amount, order.currency);
	const outcome: Record<string, unknown> = {
		status: state,
		reference: tx.trans_no,
		amount: amount ?? order.amount,
		tip: tip ?? order.tip,
		cardBrand: tx.pay_method_id,
		maskedCard: tx.card_no,
		authCode: tx.auth_no ?? tx.auth_code,
		code: tx.resp_code ?? String(tx.trans_status),
		message: tx.resp_msg
	};
	for (const key of Object.keys(outcome)) if (outcome[key] === undefined) delete outcome[key];
	return { kind: 'final', state, outcome, transNo: tx.trans_no };
}
