/**
 * WiseCashier fuel sales (`forecourt_data`): kept apart from the codec so that the sale screen can
 * check the lines before anything is journaled or sent, without loading the driver.
 */
import type { FuelLine } from '../driver';
import { toWireAmount } from './wire-amount';

/**
 * One WiseCashier fuel line: the POS's `FuelLine`, whose `quantity` WiseCashier wants as litres
 * with three decimals (`"1.050"`). `amount` is minor units, like every amount in the POS.
 */
export type ForecourtLine = FuelLine;

/** Litres as the cashier types them ("32.45") → the wire's three decimals ("32.450"). */
export function litres(text: string): string | undefined {
	const match = /^(\d{1,6})(?:[.,](\d{0,3}))?$/.exec(text.trim());
	if (!match) return undefined;
	return `${match[1]}.${(match[2] ?? '').padEnd(3, '0')}`;
}

/**
 * WiseCashier: the fuel lines' cent amounts must add up to `order_amount` (wisecashier spec,
 * `forecourt_data`). Returns the cashier-facing problem, or `undefined` when the lines are fine.
 */
export function checkForecourt(
	lines: readonly ForecourtLine[],
	orderAmount: number,
	currency: string
): string | undefined {
	if (lines.length === 0) return 'Fuel data needs at least one line';
	for (const line of lines) {
		if (!Number.isSafeInteger(line.amount) || line.amount < 0) {
			return `Fuel line ${line.code} has an invalid amount`;
		}
		if (!/^\d+\.\d{3}$/.test(line.quantity)) {
			return `Fuel line ${line.code}: quantity must be litres with three decimals, like "1.050"`;
		}
		if (line.code.trim() === '') return 'Every fuel line needs a product code';
	}
	const total = lines.reduce((sum, line) => sum + line.amount, 0);
	if (total !== orderAmount) {
		return `Fuel lines add up to ${toWireAmount(total, currency)} ${currency} but the order is ${toWireAmount(orderAmount, currency)} ${currency}`;
	}
	return undefined;
}
