/**
 * The one rail registry: every rail the POS knows, as a descriptor (`rail.ts`). `RailId`, the
 * schemas that read a terminal's rail, the Settings form and the driver factory all derive from
 * this list; adding a rail means its own folder plus one entry here.
 */
import type { TerminalConfig, TerminalDriver } from './driver';
import type { DriverOptions, RailDescriptor } from './rail';
import { codepayCardRail } from './codepay-card/rail';
import { codepayCloudRail } from './codepay-cloud/rail';
import { codepayLanRail } from './codepay-lan/rail';
import { codepayLinkRail } from './codepay-link/rail';
import { haojinUsbRail } from './haojin-usb/rail';
import { iotpayPaxRail } from './iotpay-pax/rail';
import { simulatedRail } from './simulated/rail';

export type { DriverOptions } from './rail';

const BUILT_IN = [
	simulatedRail,
	codepayLanRail,
	haojinUsbRail,
	codepayCloudRail,
	iotpayPaxRail,
	codepayLinkRail,
	codepayCardRail
] as const;

export type RailId = (typeof BUILT_IN)[number]['id'];

const rails = new Map<string, RailDescriptor>(BUILT_IN.map((rail) => [rail.id, rail]));

/** Every rail, built-in ones first. */
export function allRails(): RailDescriptor<RailId>[] {
	return [...rails.values()] as RailDescriptor<RailId>[];
}

export function isRailId(id: unknown): id is RailId {
	return typeof id === 'string' && rails.has(id);
}

/** The descriptor of a known rail. */
export function railOf(id: RailId): RailDescriptor<RailId> {
	const rail = rails.get(id);
	if (!rail) throw new Error(`Unknown rail ${id}`);
	return rail as RailDescriptor<RailId>;
}

/**
 * Whether sales on `rail` may carry `extra` (cashback, fuel lines): the till offers it only then,
 * whatever a driver claims, and sync believes it only then.
 */
export function railCarries(rail: string, extra: 'cashback' | 'fuelLines'): boolean {
	return rails.get(rail)?.saleExtras?.[extra] === true;
}

/** What a cashier calls a rail; an id this version does not know is shown as it is. */
export function railLabel(id: string): string {
	return rails.get(id)?.label ?? id;
}

/**
 * Adds a rail at run time: how a test plugs in a rail of its own (nothing else in the app changes
 * for it). Returns the function that takes it out again.
 */
export function registerRail(rail: RailDescriptor): () => void {
	if (rails.has(rail.id)) throw new Error(`Rail ${rail.id} is already registered`);
	rails.set(rail.id, rail);
	return () => void rails.delete(rail.id);
}

/**
 * Builds the driver for a configured terminal. A rail's code is loaded on demand so that a till
 * that only uses one rail does not download the others.
 */
export async function createDriver(
	config: TerminalConfig,
	options: DriverOptions = {}
): Promise<TerminalDriver> {
	const rail = rails.get(config.rail);
	if (!rail)
		throw new Error(`${config.name}: the ${config.rail} rail is not available in this version.`);
	// A demo-only rail approves whatever it is asked: outside the demo it would fake card payments.
	if (rail.needs.demoOnly && options.demo !== true) {
		throw new Error(`${config.name}: the ${rail.label.toLowerCase()} exists only in demo mode.`);
	}
	const module = await rail.load();
	return module.createDriver(config, options);
}
