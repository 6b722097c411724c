/**
 * The IndexedDB schema. Everything the hot paths read goes through an index, so opening a journal
 * never loads orders, and a day or a history page reads only the rows it shows. The end-of-day
 * figures are kept per day (`days`), updated in the transaction of every order and tender write.
 */
import { Dexie, type EntityTable } from 'dexie';
import type {
	DayTotals,
	JournalEntity,
	JournalEvent,
	Order,
	PaymentAttempt,
	Tender
} from './types';

/** A record changed since the server last acknowledged it. `rev` is the seq of its last event. */
export interface OutboxEntry {
	key: string;
	entity: JournalEntity;
	id: string;
	rev: number;
}

export interface MetaEntry {
	key: string;
	value: number;
}

/** Version 1, as tills in the field first created it (exported for the upgrade test). */
export const SCHEMA_V1 = {
	// [day+createdAt]: end of day and history by date; [status+createdAt]: history by status;
	// createdAt: newest-first history; total: amount search; &number: lookup by order number.
	orders: 'id, &number, createdAt, [day+createdAt], [status+createdAt], total',
	// state: the pending attempts at start-up, without scanning.
	attempts: 'id, orderId, &merchantOrderNo, state',
	tenders: 'id, orderId, attemptId, day',
	events: '++seq, entityId, orderId',
	outbox: 'key, rev',
	meta: 'key'
} as const;

export const META_ORDER_COUNTER = 'orderCounter';
export const META_LAST_SYNCED_SEQ = 'lastSyncedSeq';

export class JournalDb extends Dexie {
	declare orders: EntityTable<Order, 'id'>;
	declare attempts: EntityTable<PaymentAttempt, 'id'>;
	declare tenders: EntityTable<Tender, 'id'>;
	declare events: EntityTable<JournalEvent, 'seq'>;
	declare outbox: EntityTable<OutboxEntry, 'key'>;
	declare meta: EntityTable<MetaEntry, 'key'>;
	/** The end-of-day figures of a day; a day without a row is counted from its records. */
	declare days: EntityTable<DayTotals, 'day'>;

	constructor(name: string) {
		super(name);
		// New versions are appended below, never edited: tills in the field hold v1 databases.
		this.version(1).stores(SCHEMA_V1);
		// No data to move: a day without figures is counted from its records when first needed.
		this.version(2).stores({ days: 'day' });
	}
}

export function openJournalDb(name = 'pos-journal'): JournalDb {
	return new JournalDb(name);
}
