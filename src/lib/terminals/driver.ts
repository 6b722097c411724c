/**
 * The one interface every payment rail implements (CodePay LAN, Haojin USB, cloud rails, the
 * simulated terminal). Business outcomes are values; transport failures are `TerminalError`s.
 *
 * Amounts are integer minor units of `currency`; each driver turns them into the wire format its
 * protocol wants (see `$lib/money`).
 */

import type { RailId } from './registry';

export type { RailId };

export type TerminalStatus =
	'disconnected' | 'connecting' | 'ready' | 'busy' | 'reconnecting' | 'offline';

/**
 * What a terminal offers beyond a sale, as flags a screen can read before the driver is loaded.
 * Each optional operation has a flag here and a typed optional method on `TerminalDriver`; a driver
 * sets the flag exactly when it has the method (`driver-contract.spec.ts` holds every rail to it).
 */
export interface TerminalCapabilities {
	tipOnTerminal: boolean;
	refund: boolean;
	partialRefund: boolean;
	void: boolean;
	receipts: boolean;
	batchClose: boolean;
	tipAdjust: boolean;
	/** Sells with cashback: `SaleRequest.cashback` is charged to the card on top of the sale. */
	cashback?: boolean;
	/** Sends fuel lines with a sale (`SaleRequest.fuelLines`). */
	fuelLines?: boolean;
	/** Prints its own receipt of a past sale again (`printReceipt`). */
	reprint?: boolean;
	/** Prints its own summary of the day (`printSummary`). */
	printSummary?: boolean;
	/** Holds an amount on a card and charges or releases it later (`preAuth` and the two after it). */
	preAuth?: boolean;
	/** Where `refund` is false: what the order screen says instead (e.g. refund on the terminal). */
	refundNote?: string;
}

/** One fuel line of a fuel-station sale; the lines of a sale add up to its `amount`. */
export interface FuelLine {
	/** The fuel's product code, e.g. `D50`. */
	code: string;
	/** Litres as a decimal string, e.g. `"32.450"`. */
	quantity: string;
	amount: number;
}

/**
 * What a rail's sale form prepared for one sale (e.g. the card, encrypted in the browser for the
 * gateway): opaque to the POS, handed to the driver only, never journaled or synced.
 */
export type RailSaleInput = Readonly<Record<string, string>>;

/** What the POS asks a terminal to do. `merchantOrderNo` is unique per attempt. */
export interface SaleRequest {
	merchantOrderNo: string;
	amount: number;
	tip: number;
	currency: string;
	description?: string;
	/** Let the customer choose a tip on the terminal (rails with `tipOnTerminal`). */
	tipOnTerminal?: boolean;
	/**
	 * Cash handed to the customer, charged to the card on top of `amount` and `tip` (rails with
	 * `cashback`). Not part of what the order is paid.
	 */
	cashback?: number;
	/** The fuel sold, for rails with `fuelLines`. */
	fuelLines?: FuelLine[];
	/** What the rail's sale form prepared (`RailDescriptor.saleForm`). */
	railInput?: RailSaleInput;
	/** The order's lines, for rails that show them to the customer (a hosted checkout page). */
	lines?: SaleLine[];
}

/** One line of the order a sale pays, as a checkout page lists it. Amounts in minor units. */
export interface SaleLine {
	name: string;
	code?: string;
	quantity: number;
	unitPrice: number;
	/** What the line costs, tax and discounts included. */
	amount: number;
}

export interface RefundRequest {
	merchantOrderNo: string;
	/** The approved sale attempt being refunded. */
	origMerchantOrderNo: string;
	origReference?: string;
	amount: number;
	currency: string;
}

export interface VoidRequest {
	merchantOrderNo: string;
	origMerchantOrderNo: string;
	origReference?: string;
	amount: number;
	currency: string;
}

export interface PreAuthCompleteRequest {
	merchantOrderNo: string;
	/** The approved pre-authorisation. */
	origMerchantOrderNo: string;
	amount: number;
	currency: string;
}

export interface TipAdjustRequest {
	/** The approved sale whose tip changes. */
	merchantOrderNo: string;
	tip: number;
	currency: string;
}

export interface BatchCloseResult {
	closed: boolean;
	/** The terminal's own code, for the audit trail only: `closed` says what it means. */
	code: string;
	message?: string;
	batchNo?: string;
	count?: number;
	/** Minor units of the terminal's currency. */
	total?: number;
}

export interface QueryRequest {
	merchantOrderNo: string;
	/** The journal's kind of attempt (`preauth…` kinds only on rails that offer holds). */
	kind: 'sale' | 'refund' | 'void' | 'preauth' | 'preauth_completion' | 'preauth_cancel';
	amount: number;
	currency: string;
}

export type OutcomeStatus = 'approved' | 'declined' | 'cancelled' | 'unknown';

/**
 * What an answer says about an attempt beyond its status, in the interface's own words (each
 * driver maps its vendor's codes to these):
 * - `not_found`: the terminal answered and does not know the attempt. It may still learn of it
 *   (status `unknown`), so nothing is concluded from one such answer.
 * - `never_received`: the terminal's answer is authoritative that it never received the attempt
 *   (status `cancelled`): nothing was charged, and the order may be paid again.
 * - `key_mismatch`: the terminal and the POS do not share a key: neither the reply nor the
 *   follow-up queries can be read, so the terminal never understood the request (status
 *   `unknown`, `exhausted`; a manager resolves it).
 */
export type OutcomeFinding = 'not_found' | 'never_received' | 'key_mismatch';

export interface Outcome {
	status: OutcomeStatus;
	/** The terminal's or gateway's reference for the transaction. */
	reference?: string;
	cardBrand?: string;
	maskedCard?: string;
	authCode?: string;
	/** Amount the terminal says it charged, minor units (may differ from the request with a tip). */
	amount?: number;
	tip?: number;
	/** Cashback the terminal says it approved (handed to the customer), minor units. */
	cashback?: number;
	/** The terminal's message, shown to the cashier on a decline or cancel. */
	message?: string;
	/** Raw response code from the terminal, for the audit trail only: screens read `reason`. */
	code?: string;
	/** Why a sale was refused, in the interface's own terms (each driver maps its vendor's codes). */
	reason?: OutcomeReason;
	/** What the answer says about the attempt, rail-neutral (see `OutcomeFinding`). */
	finding?: OutcomeFinding;
	/**
	 * Asking this terminal again cannot tell more: the automatic checks have run out, and a manager
	 * may resolve the attempt (`message` says why, as the headline).
	 */
	exhausted?: boolean;
}

/**
 * `terminal_busy`: the terminal refused because it is taking another payment (nothing charged);
 * the screen then offers to cancel this till's payment in flight on it.
 */
export type OutcomeReason = 'terminal_busy';

export type TerminalErrorCode =
	| 'not_connected'
	| 'unreachable'
	| 'timeout'
	| 'connection_lost'
	| 'busy'
	| 'protocol'
	| 'auth'
	| 'unsupported'
	| 'bad_request';

/**
 * A transport failure. `mayHaveReachedTerminal` tells the journal whether the request could have
 * been acted on: if so, the attempt becomes `unknown` and is reconciled, never declined.
 */
export class TerminalError extends Error {
	readonly code: TerminalErrorCode;
	readonly mayHaveReachedTerminal: boolean;
	constructor(code: TerminalErrorCode, message: string, mayHaveReachedTerminal: boolean) {
		super(message);
		this.name = 'TerminalError';
		this.code = code;
		this.mayHaveReachedTerminal = mayHaveReachedTerminal;
	}
}

export type TerminalEvent =
	| { type: 'status'; status: TerminalStatus; detail?: string }
	/** A result the terminal delivered on its own (e.g. re-delivered after a reconnect). */
	| { type: 'result'; merchantOrderNo: string; outcome: Outcome }
	/**
	 * The driver's way to the terminal changed (e.g. a browser permission now allows a direct
	 * connection): the till makes it anew, once no payment is running on it.
	 */
	| { type: 'replace'; reason: string };

export interface TerminalDriver {
	readonly id: string;
	readonly rail: RailId;
	readonly capabilities: TerminalCapabilities;
	status(): TerminalStatus;
	connect(): Promise<void>;
	disconnect(): Promise<void>;
	/** Subscribe to status changes and unsolicited results. Returns the unsubscribe function. */
	on(listener: (event: TerminalEvent) => void): () => void;
	sale(request: SaleRequest): Promise<Outcome>;
	refund(request: RefundRequest): Promise<Outcome>;
	void(request: VoidRequest): Promise<Outcome>;
	/** Ask for an attempt's result. `unknown` when the terminal does not know it (yet). */
	query(request: QueryRequest): Promise<Outcome>;
	/** Abort the operation in progress (customer not yet paid). */
	cancel(merchantOrderNo: string): Promise<void>;

	// Optional operations: present exactly when the matching capability is set.
	/** Holds `amount` on the card (`capabilities.preAuth`). */
	preAuth?(request: SaleRequest): Promise<Outcome>;
	/** Charges an approved hold (`capabilities.preAuth`). */
	preAuthComplete?(request: PreAuthCompleteRequest): Promise<Outcome>;
	/** Releases an approved hold (`capabilities.preAuth`). */
	preAuthCancel?(request: PreAuthCompleteRequest): Promise<Outcome>;
	/** Changes the tip of an approved sale (`capabilities.tipAdjust`). */
	tipAdjust?(request: TipAdjustRequest): Promise<Outcome>;
	/** Closes the terminal's batch (`capabilities.batchClose`). */
	batchClose?(): Promise<BatchCloseResult>;
	/** Prints the terminal's receipt of a past attempt again (`capabilities.reprint`). */
	printReceipt?(merchantOrderNo: string): Promise<void>;
	/** Prints the terminal's summary of the day (`capabilities.printSummary`). */
	printSummary?(): Promise<void>;
	/**
	 * Looks a transaction up by the terminal's own reference (rails that can), so that a manager's
	 * "charged, reference X" is checked against the terminal before the journal believes it.
	 * Resolves with the transaction's outcome, or `unknown` with `finding: 'not_found'`.
	 */
	queryByReference?(reference: string, request: QueryRequest): Promise<Outcome>;
}

/** A driver's optional operations, by name. */
export type OptionalOperation =
	| 'preAuth'
	| 'preAuthComplete'
	| 'preAuthCancel'
	| 'tipAdjust'
	| 'batchClose'
	| 'printReceipt'
	| 'printSummary';

/** The capability flag that announces each optional operation. */
export const CAPABILITY_OF: Readonly<Record<OptionalOperation, keyof TerminalCapabilities>> = {
	preAuth: 'preAuth',
	preAuthComplete: 'preAuth',
	preAuthCancel: 'preAuth',
	tipAdjust: 'tipAdjust',
	batchClose: 'batchClose',
	printReceipt: 'reprint',
	printSummary: 'printSummary'
};

/** A driver known to have `operation`. */
export type DriverWith<K extends OptionalOperation> = TerminalDriver &
	Required<Pick<TerminalDriver, K>>;

/**
 * The driver, typed as having `operation`, or an error a cashier can read: for screens that got the
 * driver of a terminal whose flags said it offers the operation.
 */
export function requireOperation<K extends OptionalOperation>(
	driver: TerminalDriver,
	operation: K,
	what: string
): DriverWith<K> {
	if (
		typeof driver[operation] !== 'function' ||
		driver.capabilities[CAPABILITY_OF[operation]] !== true
	) {
		throw new TerminalError('unsupported', `This terminal cannot ${what}.`, false);
	}
	return driver as DriverWith<K>;
}

/** How a terminal is configured in Settings or provisioned by the server. */
export interface TerminalConfig {
	id: string;
	name: string;
	rail: RailId;
	currency: string;
	/** Rail-specific connection parameters (host, port, app id, scenario...). */
	params: Record<string, string | number | boolean>;
	/** Set when the server's configuration provided this terminal. */
	provisioned?: boolean;
}
