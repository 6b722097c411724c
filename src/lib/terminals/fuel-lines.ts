/**
 * Fuel lines of a sale (terminals with `capabilities.fuelLines`): read from what the cashier types
 * and checked before anything is journaled or sent, without loading a driver. A line's `quantity`
 * is litres with three decimals (`"1.050"`); `amount` is minor units, like every amount in the POS.
 */
import { toDecimalString } from '$lib/money';
import type { FuelLine } from './driver';

/** Litres as the cashier types them ("32.45") → the wire's three decimals ("32.450"). */
export function litres(text: string): string | undefined {
	const match = /^(\d{1,6})(?:[.,](\d{0,3}))?$/.exec(text.trim());
	if (!match) return undefined;
	return `${match[1]}.${(match[2] ?? '').padEnd(3, '0')}`;
}

/**
 * The lines' amounts must add up to the sale's (WiseCashier's `forecourt_data` wants it so: its
 * spec, and `FuelLine`). Returns the cashier-facing problem, or `undefined` when the lines are fine.
 */
export function checkFuelLines(
	lines: readonly FuelLine[],
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
		return `Fuel lines add up to ${toDecimalString(total, currency)} ${currency} but the order is ${toDecimalString(orderAmount, currency)} ${currency}`;
	}
	return undefined;
}
