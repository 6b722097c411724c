/**
 * The server's own record of every IOT Pay sale it started (issue 12). The row is written before
 * `create_order` is sent, and its primary key is the merchant order number: whoever inserts it is
 * the one caller, across requests, server instances on one PostgreSQL and restarts, that may send
 * `create_order` for that order. Final states never change again.
 */
import type { Outcome } from '$lib/terminals/driver';
import type { SqlExecutor } from './sql';

export type IotPaySaleState = 'sent' | 'unknown' | 'approved' | 'cancelled' | 'refused';

export interface IotPaySale {
	merchantOrderNo: string;
	deviceId: string;
	terminalId: string;
	attemptId: string | null;
	/** The sale's amount and tip (sent as IOT Pay's `amount` and `tip`), minor units. */
	amount: number;
	tip: number;
	currency: string;
	state: IotPaySaleState;
	outcome: Outcome | null;
	/** Why it is unknown or refused, for the cashier. */
	message: string | null;
	/** Refused because the gateway rejected our signature (the merchant key). */
	keyFault: boolean;
	createdAt: number;
	updatedAt: number;
}

export const FINAL_IOTPAY_STATES: readonly IotPaySaleState[] = ['approved', 'cancelled', 'refused'];

interface Row {
	merchant_order_no: string;
	device_id: string;
	terminal_id: string;
	attempt_id: string | null;
	amount: number;
	tip: number;
	currency: string;
	state: IotPaySaleState;
	outcome: Outcome | null;
	message: string | null;
	key_fault: boolean;
	created_at: number;
	updated_at: number;
}

const COLUMNS = `merchant_order_no, device_id, terminal_id, attempt_id, amount, tip, currency, state,
	outcome, message, key_fault, created_at, updated_at`;

function toSale(row: Row): IotPaySale {
	return {
		merchantOrderNo: row.merchant_order_no,
		deviceId: row.device_id,
		terminalId: row.terminal_id,
		attemptId: row.attempt_id,
		amount: Number(row.amount),
		tip: Number(row.tip),
		currency: row.currency,
		state: row.state,
		outcome: row.outcome,
		message: row.message,
		keyFault: row.key_fault,
		createdAt: Number(row.created_at),
		updatedAt: Number(row.updated_at)
	};
}

export interface NewIotPaySale {
	merchantOrderNo: string;
	deviceId: string;
	terminalId: string;
	attemptId: string | null;
	amount: number;
	tip: number;
	currency: string;
	request: Record<string, string>;
	now: number;
	/**
	 * `sent` for a sale about to be sent; `refused` closes an order number the server never
	 * started (a till asked about it), so that a request arriving late cannot start it any more.
	 */
	state?: 'sent' | 'refused';
	message?: string;
}

/** Inserts the sale; `created` is false when that order number was there already. */
export async function beginIotPaySale(
	db: SqlExecutor,
	sale: NewIotPaySale
): Promise<{ created: boolean; sale: IotPaySale }> {
	const inserted = await db.query<Row>(
		`insert into iotpay_sales (merchant_order_no, device_id, terminal_id, attempt_id, amount, tip,
			currency, state, message, request, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $11)
		on conflict (merchant_order_no) do nothing
		returning ${COLUMNS}`,
		[
			sale.merchantOrderNo,
			sale.deviceId,
			sale.terminalId,
			sale.attemptId,
			sale.amount,
			sale.tip,
			sale.currency,
			sale.state ?? 'sent',
			sale.message ?? null,
			JSON.stringify(sale.request),
			sale.now
		]
	);
	if (inserted[0]) return { created: true, sale: toSale(inserted[0]) };
	const existing = await getIotPaySale(db, sale.merchantOrderNo);
	if (!existing) throw new Error(`The IOT Pay sale ${sale.merchantOrderNo} vanished.`);
	return { created: false, sale: existing };
}

export async function getIotPaySale(
	db: SqlExecutor,
	merchantOrderNo: string
): Promise<IotPaySale | null> {
	const rows = await db.query<Row>(
		`select ${COLUMNS} from iotpay_sales where merchant_order_no = $1`,
		[merchantOrderNo]
	);
	return rows[0] ? toSale(rows[0]) : null;
}

export interface IotPaySaleUpdate {
	state: IotPaySaleState;
	outcome?: Outcome | null;
	message?: string | null;
	keyFault?: boolean;
	/** The gateway's raw answer, kept for the audit. */
	response?: unknown;
	now: number;
}

/**
 * Moves a `sent` or `unknown` sale on; a final one stays as it is. Answers the sale as it is
 * afterwards (null when there is none).
 */
export async function updateIotPaySale(
	db: SqlExecutor,
	merchantOrderNo: string,
	update: IotPaySaleUpdate
): Promise<IotPaySale | null> {
	await db.query(
		`update iotpay_sales set state = $2, outcome = $3::text::jsonb, message = $4, key_fault = $5,
			response = coalesce($6::text::jsonb, response), updated_at = $7
		where merchant_order_no = $1 and state in ('sent', 'unknown')`,
		[
			merchantOrderNo,
			update.state,
			update.outcome ? JSON.stringify(update.outcome) : null,
			update.message ?? null,
			update.keyFault ?? false,
			update.response === undefined ? null : JSON.stringify(update.response),
			update.now
		]
	);
	return getIotPaySale(db, merchantOrderNo);
}
