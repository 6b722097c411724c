/**
 * The server's own record of CodePay cloud orders (issue 10): one row per merchant_order_no (so
 * a second push of it finds the first), every change of state appended as an event a till's
 * stream replays from its last id, and a lease so that of several instances one polls an order.
 * The same SQL on PGlite and PostgreSQL.
 */
import type { CloudOrderState } from '../codepay-cloud/order-state';
import type { HostedKind } from '../codepay-hosted/hosted-kind';
import { ChangeFeed, notifySql } from './change-feed';
import type { SqlClient, SqlExecutor } from './sql';

export interface CloudOrder {
	merchantOrderNo: string;
	deviceId: string;
	terminalId: string;
	kind: 'sale' | 'refund' | 'void' | 'preauth' | 'preauth_completion' | 'preauth_cancel';
	amount: number;
	tip: number;
	currency: string;
	origMerchantOrderNo: string | null;
	state: CloudOrderState;
	transNo: string | null;
	/** The till's view of the result (an `Outcome`), once there is one. */
	outcome: Record<string, unknown> | null;
	expiresAt: number;
	nextPollAt: number;
	polls: number;
	createdAt: number;
	updatedAt: number;
	/** Paid on the gateway's own page (issue 11); null for an order pushed to a terminal. */
	hosted: HostedKind | null;
	/** The gateway's checkout page, once it gave one. */
	payUrl: string | null;
	/** SHA-256 (hex) of the opaque reference the order's return_url carries. */
	returnRef: string | null;
}

export interface CloudOrderEvent {
	id: number;
	merchantOrderNo: string;
	state: CloudOrderState;
	outcome: Record<string, unknown> | null;
	at: number;
}

interface Row {
	merchant_order_no: string;
	device_id: string;
	terminal_id: string;
	kind: CloudOrder['kind'];
	amount: number | string;
	tip: number | string;
	currency: string;
	orig_merchant_order_no: string | null;
	state: CloudOrderState;
	trans_no: string | null;
	outcome: Record<string, unknown> | string | null;
	expires_at: number | string;
	next_poll_at: number | string;
	polls: number;
	created_at: number | string;
	updated_at: number | string;
	hosted: HostedKind | null;
	pay_url: string | null;
	return_ref: string | null;
}

const parsed = (value: Record<string, unknown> | string | null) =>
	typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value;

function toOrder(row: Row): CloudOrder {
	return {
		merchantOrderNo: row.merchant_order_no,
		deviceId: row.device_id,
		terminalId: row.terminal_id,
		kind: row.kind,
		amount: Number(row.amount),
		tip: Number(row.tip),
		currency: row.currency,
		origMerchantOrderNo: row.orig_merchant_order_no,
		state: row.state,
		transNo: row.trans_no,
		outcome: parsed(row.outcome),
		expiresAt: Number(row.expires_at),
		nextPollAt: Number(row.next_poll_at),
		polls: Number(row.polls),
		createdAt: Number(row.created_at),
		updatedAt: Number(row.updated_at),
		hosted: row.hosted ?? null,
		payUrl: row.pay_url ?? null,
		returnRef: row.return_ref ?? null
	};
}

export type NewCloudOrder = Omit<
	CloudOrder,
	| 'state'
	| 'transNo'
	| 'outcome'
	| 'polls'
	| 'updatedAt'
	| 'nextPollAt'
	| 'hosted'
	| 'payUrl'
	| 'returnRef'
> & {
	nextPollAt: number;
	hosted?: HostedKind | null;
	returnRef?: string | null;
};

/** The channel a till's event stream listens on; the payload is the till's device id. */
const CHANGES_CHANNEL = 'cloud_order_events';
const NOTIFY_CHANGE = notifySql(CHANGES_CHANNEL);

async function insertOrder(tx: SqlExecutor, order: NewCloudOrder): Promise<boolean> {
	const rows = await tx.query(
		`insert into cloud_orders (merchant_order_no, device_id, terminal_id, kind, amount, tip,
			currency, orig_merchant_order_no, state, expires_at, next_poll_at, created_at, updated_at,
			hosted, return_ref)
		values ($1, $2, $3, $4, $5, $6, $7, $8, 'sending', $9, $10, $11, $11, $12, $13)
		on conflict (merchant_order_no) do nothing
		returning merchant_order_no`,
		[
			order.merchantOrderNo,
			order.deviceId,
			order.terminalId,
			order.kind,
			order.amount,
			order.tip,
			order.currency,
			order.origMerchantOrderNo,
			order.expiresAt,
			order.nextPollAt,
			order.createdAt,
			order.hosted ?? null,
			order.returnRef ?? null
		]
	);
	if (rows.length === 0) return false;
	await tx.query(
		`insert into cloud_order_events (device_id, merchant_order_no, state, outcome, at)
		values ($1, $2, 'sending', null, $3)`,
		[order.deviceId, order.merchantOrderNo, order.createdAt]
	);
	await tx.query(NOTIFY_CHANGE, [order.deviceId]);
	return true;
}

export class CloudOrderStore {
	readonly #db: SqlClient;
	/** Wakes a till's event stream, on any instance, when one of its orders changes (by device id). */
	readonly changes: ChangeFeed;
	constructor(db: SqlClient) {
		this.#db = db;
		this.changes = new ChangeFeed(db, CHANGES_CHANNEL);
	}

	/** Records an order as `sending`: true when it is new, false when that number exists already. */
	async create(order: NewCloudOrder): Promise<boolean> {
		return this.#db.transaction((tx) => insertOrder(tx, order));
	}

	/**
	 * Records a refund of `order.origMerchantOrderNo` as `sending` when it fits in what is left of
	 * `paid` (refunds not known to have failed count), under a lock on the original, so that two
	 * refunds at once cannot together pass it.
	 */
	async createRefundWithin(
		order: NewCloudOrder & { origMerchantOrderNo: string },
		paid: number
	): Promise<'created' | 'exists' | 'over'> {
		return this.#db.transaction(async (tx) => {
			await tx.query('select 1 from cloud_orders where merchant_order_no = $1 for update', [
				order.origMerchantOrderNo
			]);
			const same = await tx.query('select 1 from cloud_orders where merchant_order_no = $1', [
				order.merchantOrderNo
			]);
			if (same.length > 0) return 'exists';
			const sums = await tx.query<{ total: number | string | null }>(
				`select coalesce(sum(amount), 0) as total from cloud_orders
				where orig_merchant_order_no = $1 and kind = 'refund'
					and state not in ('declined', 'cancelled', 'failed')`,
				[order.origMerchantOrderNo]
			);
			if (Number(sums[0]?.total ?? 0) + order.amount > paid) return 'over';
			return (await insertOrder(tx, order)) ? 'created' : 'exists';
		});
	}

	async get(merchantOrderNo: string): Promise<CloudOrder | null> {
		const rows = await this.#db.query<Row>(
			'select * from cloud_orders where merchant_order_no = $1',
			[merchantOrderNo]
		);
		return rows[0] ? toOrder(rows[0]) : null;
	}

	/** The hosted order whose return reference hashes to `returnRef`. */
	async byReturnRef(returnRef: string): Promise<CloudOrder | null> {
		const rows = await this.#db.query<Row>('select * from cloud_orders where return_ref = $1', [
			returnRef
		]);
		return rows[0] ? toOrder(rows[0]) : null;
	}

	/** Keeps the checkout page the gateway gave for a hosted order (the first one only). */
	async setPayUrl(merchantOrderNo: string, payUrl: string, now: number): Promise<void> {
		await this.#db.query(
			`update cloud_orders set pay_url = $2, updated_at = $3
			where merchant_order_no = $1 and pay_url is null`,
			[merchantOrderNo, payUrl, now]
		);
	}

	/** The refunds recorded against `origMerchantOrderNo`, oldest first. */
	async refundsOf(origMerchantOrderNo: string): Promise<CloudOrder[]> {
		const rows = await this.#db.query<Row>(
			`select * from cloud_orders where orig_merchant_order_no = $1 and kind = 'refund'
			order by created_at, merchant_order_no`,
			[origMerchantOrderNo]
		);
		return rows.map(toOrder);
	}

	/**
	 * Moves an order to `next` when `allowed(current)` says so, under a row lock, and appends the
	 * event. Returns the order as it now is (changed or not) and whether it changed.
	 */
	async move(
		merchantOrderNo: string,
		allowed: (current: CloudOrder) => boolean,
		next: {
			state: CloudOrderState;
			transNo?: string | null;
			outcome?: Record<string, unknown> | null;
		},
		now: number
	): Promise<{ order: CloudOrder | null; changed: boolean }> {
		return this.#db.transaction(async (tx) => {
			const rows = await tx.query<Row>(
				'select * from cloud_orders where merchant_order_no = $1 for update',
				[merchantOrderNo]
			);
			const row = rows[0];
			if (!row) return { order: null, changed: false };
			const current = toOrder(row);
			if (!allowed(current)) return { order: current, changed: false };
			const outcome = next.outcome === undefined ? current.outcome : next.outcome;
			const transNo = next.transNo ?? current.transNo;
			await tx.query(
				`update cloud_orders set state = $2, trans_no = $3, outcome = $4::text::jsonb,
					updated_at = $5 where merchant_order_no = $1`,
				[merchantOrderNo, next.state, transNo, JSON.stringify(outcome), now]
			);
			await tx.query(
				`insert into cloud_order_events (device_id, merchant_order_no, state, outcome, at)
				values ($1, $2, $3, $4::text::jsonb, $5)`,
				[current.deviceId, merchantOrderNo, next.state, JSON.stringify(outcome), now]
			);
			await tx.query(NOTIFY_CHANGE, [current.deviceId]);
			return {
				order: { ...current, state: next.state, transNo, outcome, updatedAt: now },
				changed: true
			};
		});
	}

	/** Changes after event `afterId` of the orders of `deviceId`, oldest first. */
	async eventsAfter(deviceId: string, afterId: number, limit = 100): Promise<CloudOrderEvent[]> {
		const rows = await this.#db.query<{
			id: number | string;
			merchant_order_no: string;
			state: CloudOrderState;
			outcome: Record<string, unknown> | string | null;
			at: number | string;
		}>(
			`select id, merchant_order_no, state, outcome, at from cloud_order_events
			where device_id = $1 and id > $2 order by id limit $3`,
			[deviceId, afterId, limit]
		);
		return rows.map((row) => ({
			id: Number(row.id),
			merchantOrderNo: row.merchant_order_no,
			state: row.state,
			outcome: parsed(row.outcome),
			at: Number(row.at)
		}));
	}

	/** The id of the newest change of `deviceId`'s orders (0 when none). */
	async latestEventId(deviceId: string): Promise<number> {
		const rows = await this.#db.query<{ id: number | string | null }>(
			'select max(id) as id from cloud_order_events where device_id = $1',
			[deviceId]
		);
		return Number(rows[0]?.id ?? 0);
	}

	/**
	 * Takes the lease on up to `limit` open orders due for a poll: an instance that got one polls
	 * it; others skip it until the lease ends. The next poll time moves on with the lease.
	 */
	async leaseDue(now: number, leaseMs: number, limit: number): Promise<CloudOrder[]> {
		const rows = await this.#db.query<Row>(
			`update cloud_orders set lease_until = $1 + $2, polls = polls + 1
			where merchant_order_no in (
				select merchant_order_no from cloud_orders
				where state in ('sending', 'sent', 'unknown') and next_poll_at <= $1 and lease_until <= $1
				order by next_poll_at limit $3
				for update skip locked
			)
			returning *`,
			[now, leaseMs, limit]
		);
		return rows.map(toOrder);
	}

	/** When to poll an order next (after a poll that did not settle it). */
	async schedulePoll(merchantOrderNo: string, at: number): Promise<void> {
		await this.#db.query(
			'update cloud_orders set next_poll_at = $2, lease_until = 0 where merchant_order_no = $1',
			[merchantOrderNo, at]
		);
	}
}
