/** Types for `server.js`, the IOT Pay gateway + `CC_PAX` terminal simulator. */

export interface IotPayFaults {
	/** The card is declined: status 9 with `receiptDisp` (default "Transaction Not Completed 05"). */
	decline?: boolean;
	declineMessage?: string;
	/** `create_order` answers this long after the card is done (past the POS server's timeout). */
	slowMs?: number;
	/** `create_order` is never answered; the result is there only by `query_order`. */
	hangCreate?: boolean;
	/** `query_order` says "paying" (1) for this long after the card is done. */
	queryDelayMs?: number;
	/** Answers carry a wrong `sign`. */
	badSignature?: boolean;
	/** The card is charged, then the `create_order` connection is cut instead of answered. */
	cutConnection?: boolean;
	/** How long the card takes from now on, ms. */
	cardMs?: number;
}

export interface SimulatedOrder {
	mchOrderNo: string;
	payOrderId: string;
	amount: number;
	tip: number;
	currency: string;
	device: string;
	jobNo: string;
	createdAt: number;
	visibleAt: number;
	/** 2 paid, 9 cancelled (declined). */
	finalStatus: number;
	/** The status a query sees now. */
	status?: number;
	extra: Record<string, string>;
}

export interface IotPaySimulatorOptions {
	/** Default 35781; 0 picks a free port. */
	port?: number;
	host?: string;
	mchId?: string;
	/** The merchant key it verifies and signs with. */
	key?: string;
	/** How long a card takes, ms (default 1500). */
	cardMs?: number;
	log?: (line: string) => void;
}

export interface IotPaySimulator {
	port: number;
	/** The base URL: `IOTPAY_BASE_URL`. */
	url: string;
	mchId: string;
	readonly faults: IotPayFaults;
	setFaults(faults: IotPayFaults): void;
	reset(): void;
	/** How many `create_order` requests arrived for this merchant order number (signed or not). */
	createCount(merchantOrderNo: string): number;
	orders(): SimulatedOrder[];
	requests(): { endpoint: string; fields: Record<string, unknown>; validSign: boolean }[];
	close(): Promise<void>;
}

export function md5Sign(fields: Record<string, unknown>, key: string): string;
export function startIotPaySimulator(options?: IotPaySimulatorOptions): Promise<IotPaySimulator>;
