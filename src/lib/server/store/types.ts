import type { ApprovalRecord } from '../approvals/approval-scope';
import type { CatalogStore } from '../catalog/catalog-store';
import type { CloudOrderStore } from './cloud-order-store';
import type { StoredRecords } from '../sync/judge-batch';
import type { ShopStore } from './shop-store';
import type { TillStore } from './till-store';
import type { IotPaySale, IotPaySaleUpdate, NewIotPaySale } from './iotpay-store';
import type { QuarantinedRecord, SyncApplied, SyncWrite, TillReportedTender } from './sync-store';

export interface DeviceRecord {
	id: string;
	/** Small sequential number, used to give each device its own order-number prefix. */
	number: number;
	name: string;
	createdAt: number;
	lastSeenAt: number;
	/** When a manager revoked the till (issue 13); null while it may use the API. */
	revokedAt: number | null;
}

export interface NotificationRecord {
	id: string;
	source: string;
	/** What makes two deliveries of one gateway notification the same (e.g. its transaction id). */
	dedupeKey: string;
	receivedAt: number;
	body: unknown;
}

/** One failure counter (a device's PIN pad, a staff member, the whole store's pairing, …). */
export interface CounterState {
	/** Failures, and checks under way, counted in the current window. */
	failures: number;
	windowStart: number;
	/** 0 when the counter has never been locked. */
	lockedUntil: number;
	/** Locks in a row; each lasts longer than the last. */
	lockCount: number;
}

export interface AuditEntry {
	at: number;
	/** e.g. `pin_lockout`, `pairing_lockout`, `pairing_code_issued`, `device_paired`. */
	kind: string;
	deviceId: string | null;
	staffId: string | null;
	detail: Record<string, unknown>;
}

export interface OrderQuery {
	/** YYYY-MM-DD */
	day?: string;
	/** Part of an order number, or an order id. */
	q?: string;
	limit: number;
	offset?: number;
}

export interface Store {
	readonly kind: 'pglite' | 'postgres';
	/** CodePay cloud orders the server pushed, their changes and poll leases (issue 10). */
	readonly cloudOrders: CloudOrderStore;
	/** The catalog and tax rates (issue 13); see `catalog/catalog-store.ts`. */
	readonly catalog: CatalogStore;
	/** The shop's profile, staff and terminals (issue 13). */
	readonly shop: ShopStore;
	/** The enrolled tills as the back office sees them (issue 13). */
	readonly tills: TillStore;
	ping(): Promise<void>;
	close(): Promise<void>;

	createDevice(input: {
		id: string;
		name: string;
		tokenHash: string;
		now: number;
	}): Promise<DeviceRecord>;
	findDeviceByTokenHash(tokenHash: string): Promise<DeviceRecord | null>;
	getDevice(id: string): Promise<DeviceRecord | null>;
	touchDevice(id: string, now: number): Promise<void>;

	/**
	 * Stores what sync believes of a device's upload in one transaction, each record in its own
	 * savepoint, and quarantines what it refused. A version replaces the stored one only when it
	 * is newer (by the batch's event seq, else `updatedAt`) and the same device owns it; events are
	 * kept once per (device, seq). Says per record whether it was applied, held already or stale.
	 */
	applySync(deviceId: string, write: SyncWrite): Promise<SyncApplied>;
	/** What the server holds (any device's) of the records an upload names. */
	loadStoredRecords(names: {
		orderIds: string[];
		attemptIds: string[];
		tenderIds: string[];
		merchantOrderNos: string[];
	}): Promise<StoredRecords>;
	/** Card tenders of `day` that only the till vouches for, with their attempts. */
	listTillReported(day: string): Promise<TillReportedTender[]>;
	/** Records sync refused, by their day. */
	listQuarantine(day: string): Promise<QuarantinedRecord[]>;
	listOrders(query: OrderQuery): Promise<Record<string, unknown>[]>;

	recordApproval(approval: ApprovalRecord): Promise<void>;
	getApproval(id: string): Promise<ApprovalRecord | null>;
	/**
	 * Marks an approval as used by one attempt. True when it now belongs to `attemptId` (also when
	 * it already did); false when another attempt holds it.
	 */
	useApproval(id: string, attemptId: string): Promise<boolean>;
	/**
	 * The relay's use: takes the oldest unexpired approval of `deviceId` for `action` on
	 * `origMerchantOrderNo` and `amount` that no frame used yet, and binds it to the frame's
	 * `merchantOrderNo`. Null when there is none.
	 */
	claimApprovalForFrame(input: {
		deviceId: string;
		action: ApprovalRecord['action'];
		origMerchantOrderNo: string;
		amount: number | null;
		merchantOrderNo: string;
		now: number;
	}): Promise<ApprovalRecord | null>;
	/**
	 * The relay's use for a batch close: takes the oldest unexpired `batch_close` approval of
	 * `deviceId` for `terminalId` that no frame used yet, and marks it used by the frame
	 * `requestId`. Null when there is none.
	 */
	claimBatchCloseApproval(input: {
		deviceId: string;
		terminalId: string;
		requestId: string;
		now: number;
	}): Promise<ApprovalRecord | null>;
	/** Remembers that `staffId` signed in on `deviceId` (sync believes only such staff ids). */
	recordSignIn(deviceId: string, staffId: string, at: number): Promise<void>;
	hasSignedIn(deviceId: string, staffId: string): Promise<boolean>;
	/** Returns false when a notification with the same dedupe key was already recorded. */
	recordNotification(notification: NotificationRecord): Promise<boolean>;

	/**
	 * Reads the counters `keys` (a fresh one is all zeros), locked against every other instance, and
	 * writes back what `decide` returns as `next` (same order; null writes nothing), in one
	 * transaction: the check-and-set of a lock-out.
	 */
	updateCounters<T>(
		keys: readonly string[],
		decide: (current: CounterState[]) => { next: CounterState[] | null; result: T }
	): Promise<T>;

	/** Appends to the audit log. */
	recordAudit(entry: AuditEntry): Promise<void>;
	/** The newest entries first. */
	listAudit(query: { kind?: string; limit: number }): Promise<AuditEntry[]>;

	/** Keeps a one-time pairing code (its hash). False when that hash is already there. */
	addPairingCode(code: {
		codeHash: string;
		issuedBy: string;
		deviceId: string;
		createdAt: number;
		expiresAt: number;
	}): Promise<boolean>;
	/** Uses an issued pairing code: true once, while it has not expired; false ever after. */
	usePairingCode(codeHash: string, now: number): Promise<boolean>;
	/** Records the one use of the configured bootstrap code: true the first time only. */
	useBootstrapCode(codeHash: string, now: number): Promise<boolean>;

	/**
	 * The secret called `name`: `fresh` if none was kept yet (then kept), else the kept one. Several
	 * instances starting together on one database all get the same value.
	 */
	ensureSecret(name: string, fresh: string, now: number): Promise<string>;

	/** See `iotpay-store.ts`: `created` false when the order number was started already. */
	beginIotPaySale(sale: NewIotPaySale): Promise<{ created: boolean; sale: IotPaySale }>;
	getIotPaySale(merchantOrderNo: string): Promise<IotPaySale | null>;
	/** Moves a `sent` or `unknown` sale on (a final one never changes); the sale afterwards. */
	updateIotPaySale(merchantOrderNo: string, update: IotPaySaleUpdate): Promise<IotPaySale | null>;
}

export type { ApprovalRecord };

export class StoreConflictError extends Error {
	readonly code = 'conflict';
	constructor(message: string) {
		super(message);
		this.name = 'StoreConflictError';
	}
}
