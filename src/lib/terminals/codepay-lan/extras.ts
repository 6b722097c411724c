/**
 * The CodePay operations beyond `TerminalDriver` (pre-authorisation, tip adjustment, batch close),
 * reached from screens that only hold a `TerminalDriver`. Type guards rather than `instanceof`, so
 * that the screens do not pull the driver into their bundle (rails load on demand, `registry.ts`).
 * Cashback and fuel lines are no longer here: they are `SaleRequest` extras the journal records
 * (`capabilities.cashback`, `capabilities.fuelLines`).
 */
import type { Outcome, SaleRequest, TerminalDriver } from '../driver';
import type { BatchCloseResult, PreAuthCompleteRequest, TipAdjustRequest } from './lan-driver';

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
