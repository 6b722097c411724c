import type { SyncBatch, SyncCounts } from '../sync/sync-schema';

export interface DeviceRecord {
	id: string;
	/** Small sequential number, used to give each device its own order-number prefix. */
	number: number;
	name: string;
	createdAt: number;
	lastSeenAt: number;
}

export interface ApprovalRecord {
	id: string;
	deviceId: string;
	managerId: string;
	requestedBy: string | null;
	action: string;
	orderId: string | null;
	createdAt: number;
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
	 * Stores a device's upload in one transaction. Idempotent: a record replaces the stored one
	 * only when its `updatedAt` is newer, and only if the same device owns it; events are kept once
	 * per (device, seq). Returns how many rows each kind actually changed.
	 * @throws StoreConflictError when an attempt reuses another attempt's merchant order number.
	 */
	applySync(deviceId: string, batch: Omit<SyncBatch, 'deviceId'>): Promise<SyncCounts>;
	listOrders(query: OrderQuery): Promise<Record<string, unknown>[]>;

	recordApproval(approval: ApprovalRecord): Promise<void>;
	/** Returns false when a notification with the same dedupe key was already recorded. */
	recordNotification(notification: NotificationRecord): Promise<boolean>;
}

export class StoreConflictError extends Error {
	readonly code = 'conflict';
	constructor(message: string) {
		super(message);
		this.name = 'StoreConflictError';
	}
}
