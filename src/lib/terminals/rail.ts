/**
 * What a payment rail is to the rest of the POS: one descriptor in `registry.ts`. Everything else a
 * rail has (its driver, protocol code, settings fields) lives in its own folder and is loaded on
 * demand through `load()` and `settings()`, so that a till downloads only the rails it uses and no
 * screen names a rail.
 */
import type { Component } from 'svelte';
import type { z } from 'zod/mini';
import type { RailSaleInput, TerminalConfig, TerminalDriver } from './driver';

export type TerminalParams = TerminalConfig['params'];

export interface DriverOptions {
	/**
	 * This device's token (`pos.device`). A CodePay LAN terminal on an https page without Local
	 * Network Access is reached through the POS server's relay, and the server's rails are called
	 * with it.
	 */
	deviceToken?: string;
	/** The signed-in staff member's session token, now: the relay and server rails require it. */
	staffSession?: () => string | null | undefined;
	/** The store runs in demo mode: only then may a terminal be one of the demo's simulators. */
	demo?: boolean;
}

/** What a rail's code module gives the registry. */
export interface RailModule {
	createDriver(
		config: TerminalConfig,
		options: DriverOptions
	): TerminalDriver | Promise<TerminalDriver>;
}

/** What a rail's settings fields may ask of the till, without reaching into its state. */
export interface RailSettingsContext {
	/** The store runs in demo mode. */
	demo: boolean;
	/** The terminal comes from the server's configuration (only device-local params may change). */
	provisioned: boolean;
	/** A manager is signed in: settings that change how the till takes payments are theirs. */
	manager: boolean;
	/** The terminal is saved on this till, so `driver()` can be asked for. */
	saved: boolean;
	/** The saved terminal's driver, connected. */
	driver(): Promise<TerminalDriver>;
	/** The options the till would build a driver with (e.g. to test a connection before saving). */
	driverOptions(): DriverOptions;
}

export interface RailSettingsProps {
	/** The terminal's params, edited in place (bindable). */
	params: TerminalParams;
	terminalId: string;
	context: RailSettingsContext;
}

/** Shown under the terminal list in Settings, once per terminal of the rail (e.g. a simulator's log). */
export interface RailPanelProps {
	terminal: TerminalConfig;
	driver(): Promise<TerminalDriver>;
}

/**
 * A rail's own part of the checkout form (e.g. a card the cashier types for a phone order). The
 * form sets `prepare` (bindable) to a function once what it holds is complete and acceptable, and
 * to null while it is not (then it shows why, and the checkout does not charge): `prepare()` turns
 * it into the sale's `railInput`, handed to the driver only.
 */
export interface RailSaleFormProps {
	terminal: TerminalConfig;
	driver(): Promise<TerminalDriver>;
	currency: string;
	prepare: (() => Promise<RailSaleInput>) | null;
}

/**
 * Shown while a payment on the rail waits for its customer, in place of the generic "waiting"
 * text: e.g. a QR code of the page the customer pays on.
 */
export interface RailPendingProps {
	/** The waiting payment, as the journal holds it. */
	payment: {
		merchantOrderNo: string;
		amount: number;
		tip: number;
		currency: string;
		terminalId: string;
	};
	driver(): Promise<TerminalDriver>;
	/** Cancels the payment (the screen's own cancel, with its error handling). */
	cancel(): Promise<void>;
}

/** What a rail needs to run on a till: screens say why a terminal cannot be used. */
export interface RailNeeds {
	/** Its operations go through the POS server: unavailable while the server is unreachable. */
	server?: boolean;
	/** Chrome's Web Serial (a USB terminal). */
	webSerial?: boolean;
	/** Exists only in demo mode (it approves whatever it is asked). */
	demoOnly?: boolean;
}

export interface RailDescriptor<Id extends string = string> {
	readonly id: Id;
	/** What a cashier or manager calls it. */
	readonly label: string;
	readonly needs: RailNeeds;
	/** The terminal's params, checked wherever a terminal configuration is read. */
	readonly params: z.ZodMiniType<{ [key: string]: string | number | boolean | undefined }>;
	/** Params a till sets for itself on a terminal the server provisioned (e.g. its USB port). */
	readonly deviceLocalParams?: readonly string[];
	/** What a sale on this rail may carry beyond the order's amount and tip (checked at sync too). */
	readonly saleExtras?: { cashback?: boolean; fuelLines?: boolean };
	/** Offered in "Add terminal" on a demo till, with these params for a new one. */
	readonly addOnTill?: () => TerminalParams;
	readonly load: () => Promise<RailModule>;
	/** Its fields in the terminal's Settings form. */
	readonly settings?: () => Promise<Component<RailSettingsProps, object, 'params'>>;
	/** Its part of the checkout form, shown for a sale on a terminal of this rail. */
	readonly saleForm?: () => Promise<Component<RailSaleFormProps, object, 'prepare'>>;
	/** Its panel under the terminal list in Settings. */
	readonly panel?: () => Promise<Component<RailPanelProps>>;
	/** What the checkout shows while a payment on it waits for the customer (see `RailPendingProps`). */
	readonly pending?: () => Promise<Component<RailPendingProps>>;
	/** Erases what this device keeps for a removed terminal (e.g. a key), beyond its config. */
	readonly forget?: (terminalId: string) => Promise<void>;
}
