/**
 * The CodePay operations beyond `TerminalDriver` (cashback, pre-authorisation, fuel data, tip
 * adjustment, batch close), reached
 * from screens that only hold a `TerminalDriver`. Type guards rather than `instanceof`, so that the
 * screens do not pull the driver into their bundle (rails load on demand, `registry.ts`).
 */
import { formatMoney } from '../../money';
import { TerminalError, type Outcome, type SaleRequest, type TerminalDriver } from '../driver';
import type { ForecourtLine } from './forecourt';
import type {
	BatchCloseResult,
	CashbackSaleRequest,
	LanSaleRequest,
	PreAuthCompleteRequest,
	TipAdjustRequest
} from './lan-driver';

export interface CashbackCapable {
	saleWithCashback(request: CashbackSaleRequest): Promise<Outcome>;
}
export interface TipAdjustCapable {
	tipAdjust(request: TipAdjustRequest): Promise<Outcome>;
}
export interface PreAuthCapable {
	preAuth(request: SaleRequest): Promise<Outcome>;
	preAuthComplete(request: PreAuthCompleteRequest): Promise<Outcome>;
	preAuthCancel(request: PreAuthCompleteRequest): Promise<Outcome>;
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

export function canPreAuth(driver: TerminalDriver): driver is TerminalDriver & PreAuthCapable {
	return has(driver, 'preAuth') && has(driver, 'preAuthComplete') && has(driver, 'preAuthCancel');
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
	return overrideSale(driver, async (request) => {
		const outcome = await driver.saleWithCashback({ ...request, cashback });
		if (outcome.status !== 'approved') return outcome;
		const given = `Cashback ${formatMoney(cashback, request.currency)}`;
		return { ...outcome, message: outcome.message ? `${given}. ${outcome.message}` : given };
	});
}

/** The driver with its `sale` replaced, every other member the real driver's. */
function overrideSale(
	driver: TerminalDriver,
	sale: (request: SaleRequest) => Promise<Outcome>
): TerminalDriver {
	return new Proxy(driver, {
		get(target, property) {
			if (property === 'sale') return sale;
			const value = Reflect.get(target, property, target) as unknown;
			// Private fields need the real driver as `this`.
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}

/**
 * The driver, with `sale` carrying WiseCashier fuel lines (`forecourt_data`). The lines must add
 * up to the amount charged: the driver refuses to send the order otherwise (`checkForecourt`).
 */
export function withForecourt(driver: TerminalDriver, forecourt: ForecourtLine[]): TerminalDriver {
	if (driver.rail !== 'codepay-lan') {
		throw new TerminalError('unsupported', 'This terminal cannot take fuel data.', false);
	}
	return overrideSale(driver, (request) =>
		driver.sale({ ...request, forecourt } as LanSaleRequest)
	);
}

export interface SaleExtras {
	/** Cash handed to the customer, minor units, charged with the sale (`trans_type` 11). */
	cashback?: number;
	/** WiseCashier fuel lines. */
	forecourt?: ForecourtLine[];
}

/** The driver to charge with: as it is, or sending a sale with cashback or fuel lines. */
export function forSale(driver: TerminalDriver, extras: SaleExtras | number = {}): TerminalDriver {
	const { cashback = 0, forecourt } = typeof extras === 'number' ? { cashback: extras } : extras;
	if (cashback > 0 && forecourt?.length) {
		throw new TerminalError('unsupported', 'A fuel sale cannot give cashback.', false);
	}
	if (forecourt?.length) return withForecourt(driver, forecourt);
	if (cashback <= 0) return driver;
	if (!canCashback(driver)) {
		throw new TerminalError('unsupported', 'This terminal cannot give cashback.', false);
	}
	return withCashback(driver, cashback);
}
