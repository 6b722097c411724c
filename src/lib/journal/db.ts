/**
 * The IndexedDB schema. Everything the hot paths read goes through an index, so opening a journal
 * never loads orders, and a day or a history page reads only the rows it shows. The end-of-day
 * figures are kept per day (`days`), updated in the transaction of every order and tender write.
 * Every index costs a write on the path a card waits on, so there is none that nothing reads.
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

/** Version 2's record changed since the server last acknowledged it: `rev`, its last event's seq. */
interface OutboxEntry {
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
	declare meta: EntityTable<MetaEntry, 'key'>;
	/** The end-of-day figures of a day; a day without a row is counted from its records. */
	declare days: EntityTable<DayTotals, 'day'>;

	constructor(name: string) {
		// No cache: `beginAttempt` writes past Dexie (native-write.ts), which a cache would not see.
		super(name, { cache: 'disabled' });
		// New versions are appended below, never edited: tills in the field hold v1 databases.
		this.version(1).stores(SCHEMA_V1);
		// No data to move: a day without figures is counted from its records when first needed.
		this.version(2).stores({ days: 'day' });
		// Every change has its event, so the events after the last acknowledged seq name what to
		// sync: the outbox of dirty records goes, and with it a write in every transaction. An
		// entity's events are read through its order, so events lose their entityId index.
		this.version(3)
			.stores({ outbox: null, events: '++seq, orderId' })
			.upgrade(async (tx) => {
				// A batch could acknowledge a record's events before the record itself: sync again
				// from before the oldest record still marked dirty.
				const oldest = await tx.table<OutboxEntry, string>('outbox').orderBy('rev').first();
				const meta = tx.table<MetaEntry, string>('meta');
				const synced = (await meta.get(META_LAST_SYNCED_SEQ))?.value ?? 0;
				if (oldest && oldest.rev <= synced) {
					await meta.put({ key: META_LAST_SYNCED_SEQ, value: oldest.rev - 1 });
				}
			});
	}
}

export function openJournalDb(name = 'pos-journal'): JournalDb {
	return new JournalDb(name);
}
