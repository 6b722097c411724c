/** Types for `server.js`, the CodePay Register / WiseCashier LAN simulator. */

export interface SimulatorFaults {
	/** Decline every card operation with code `301` and `declineMessage`. */
	decline?: boolean;
	declineMessage?: string;
	/** Extra time the "customer" takes, on top of `cardMs`. */
	slowMs?: number;
	/** The customer cancels on the terminal: `110` with an empty-string `biz_data`. */
	customerCancel?: boolean;
	/** One-shot: approve (and charge), then cut the connection instead of answering. */
	dropAfterApprove?: boolean;
	/** After a drop, send the missed result when the POS reconnects (default true). */
	redeliverOnReconnect?: boolean;
	/** Send every response twice. */
	duplicateResponses?: boolean;
	/** Send junk frames (bad JSON, bad UTF-8, unknown topics, stray answers) before each response. */
	garbageFrames?: boolean;
	/** Record requests but answer nothing (a hung terminal app). */
	neverAnswer?: boolean;
	/**
	 * Order frames never arrive: not recorded, not answered, so a query finds nothing (`104`), as
	 * when the POS page was killed just before the frame left.
	 */
	loseOrders?: boolean;
	/** Refuse new orders with `113` as if another ECR were using the terminal. */
	busyWithOtherOrder?: boolean;
	/** Firmware that does not echo `request_id`. */
	omitRequestId?: boolean;
	/** Success code: `"000"` per the spec, `"0"` on some firmware (NOTES.md §1). */
	successCode?: '000' | '0';
}

export interface SimulatorOptions {
	/** Default 35779; 0 picks a free port. */
	port?: number;
	host?: string;
	appId?: string;
	profile?: 'codepay' | 'wisecashier';
	/** How long the "card" takes, ms (default 800). */
	cardMs?: number;
	/** Currency when a request has no `price_currency` (WiseCashier). */
	currency?: string;
	/** Tip the "customer" picks when `on_screen_tip` is true (decimal string, default "1.00"). */
	screenTip?: string;
	log?: (line: string) => void;
}

/** One order as the terminal keeps it; amounts in minor units. */
export interface SimulatedTransaction {
	merchant_order_no: string;
	trans_type: string;
	orig_merchant_order_no?: string;
	currency: string;
	order_amount: number;
	tip_amount: number;
	cashback_amount: number;
	/** 0 in progress, 1 failed, 2 success, 3 cancelled. */
	trans_status: string;
	trans_no?: string;
	auth_code?: string;
	card_no?: string;
	pay_method_id?: string;
	pay_channel_trans_no?: string;
	trans_end_time?: string;
	refunded: number;
	voided: boolean;
	completed: boolean;
	batched: boolean;
}

export interface CodePaySimulator {
	port: number;
	url: string;
	readonly faults: Required<SimulatorFaults>;
	setFaults(faults: SimulatorFaults): void;
	/** Every order the terminal knows, by merchant_order_no. */
	transactions(): SimulatedTransaction[];
	/** Approved charges (sale, cashback sale, pre-auth, completion) for one order number. */
	salesFor(merchantOrderNo: string): SimulatedTransaction[];
	/** Every JSON message received, as sent by the POS. */
	requests(): Record<string, unknown>[];
	/**
	 * Every connection, as the terminal saw it: the peer address, the handshake's Origin header
	 * (a browser's page; none from the POS server's relay) and the order numbers it carried.
	 */
	connections(): { remoteAddress: string; origin: string | undefined; orders: string[] }[];
	/** Cut every connection (e.g. Wi-Fi drop). */
	dropConnections(): void;
	close(): Promise<void>;
}

export function startCodePaySimulator(options?: SimulatorOptions): Promise<CodePaySimulator>;
