import type { ApprovalRecord } from '../approvals/approval-scope';
import type { StoredRecords } from '../sync/judge-batch';
import type { QuarantinedRecord, SyncApplied, SyncWrite, TillReportedTender } from './sync-store';

export interface DeviceRecord {
	id: string;
	/** Small sequential number, used to give each device its own order-number prefix. */
	number: number;
	name: string;
	createdAt: number;
	lastSeenAt: number;
}

export interface NotificationRecord {
	id: string;
	source: string;
	/** What makes two deliveries of one gateway notification the same (e.g. its transaction id). */
	dedupeKey: string;
	receivedAt: number;
	body: unknown;
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
	/** Remembers that `staffId` signed in on `deviceId` (sync believes only such staff ids). */
	recordSignIn(deviceId: string, staffId: string, at: number): Promise<void>;
	hasSignedIn(deviceId: string, staffId: string): Promise<boolean>;
	/** Returns false when a notification with the same dedupe key was already recorded. */
	recordNotification(notification: NotificationRecord): Promise<boolean>;
}

export type { ApprovalRecord };

export class StoreConflictError extends Error {
	readonly code = 'conflict';
	constructor(message: string) {
		super(message);
		this.name = 'StoreConflictError';
	}
}
