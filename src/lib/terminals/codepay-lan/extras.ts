/**
 * The CodePay operations beyond `TerminalDriver` (cashback, tip adjustment, batch close), reached
 * from screens that only hold a `TerminalDriver`. Type guards rather than `instanceof`, so that the
 * screens do not pull the driver into their bundle (rails load on demand, `registry.ts`).
 */
import { formatMoney } from '../../money';
import { TerminalError, type Outcome, type SaleRequest, type TerminalDriver } from '../driver';
import type { BatchCloseResult, CashbackSaleRequest, TipAdjustRequest } from './lan-driver';

export interface CashbackCapable {
	saleWithCashback(request: CashbackSaleRequest): Promise<Outcome>;
}
export interface TipAdjustCapable {
	tipAdjust(request: TipAdjustRequest): Promise<Outcome>;
}
export interface BatchCloseCapable {
	batchClose(): Promise<BatchCloseResult>;
}

function has<K extends string>(driver: TerminalDriver, method: K): boolean {
	return typeof (driver as unknown as Record<K, unknown>)[method] === 'function';
}

export function canCashback(driver: TerminalDriver): driver is TerminalDriver & CashbackCapable {
	return has(driver, 'saleWithCashback');
}

export function canTipAdjust(driver: TerminalDriver): driver is TerminalDriver & TipAdjustCapable {
	return driver.capabilities.tipAdjust && has(driver, 'tipAdjust');
}

export function canBatchClose(
	driver: TerminalDriver
): driver is TerminalDriver & BatchCloseCapable {
	return driver.capabilities.batchClose && has(driver, 'batchClose');
}

/**
 * The driver, with `sale` sent as a sale with cashback (`trans_type` 11, NOTES.md §1). The journal
 * credits the order with the goods amount only; the cash handed over is written into the outcome's
 * message, so the attempt's audit trail says what the card was charged for.
 */
export function withCashback(
	driver: TerminalDriver & CashbackCapable,
	cashback: number
): TerminalDriver {
	const sale = async (request: SaleRequest): Promise<Outcome> => {
		const outcome = await driver.saleWithCashback({ ...request, cashback });
		if (outcome.status !== 'approved') return outcome;
		const given = `Cashback ${formatMoney(cashback, request.currency)}`;
		return { ...outcome, message: outcome.message ? `${given}. ${outcome.message}` : given };
	};
	return new Proxy(driver, {
		get(target, property) {
			if (property === 'sale') return sale;
			const value = Reflect.get(target, property, target) as unknown;
			// Private fields need the real driver as `this`.
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}

/** The driver to charge with: as it is, or sending a sale with `cashback` (minor units). */
export function forSale(driver: TerminalDriver, cashback = 0): TerminalDriver {
	if (cashback <= 0) return driver;
	if (!canCashback(driver)) {
		throw new TerminalError('unsupported', 'This terminal cannot give cashback.', false);
	}
	return withCashback(driver, cashback);
}
