/**
 * A readwrite transaction straight on IndexedDB, for the one write a card waits on
 * (`beginAttempt`). Dexie's middleware stack, run for every request, about doubled that write
 * (`npm run bench`, Chromium on a 2-core VM: p50 2.7 against 1.5 ms, p99 10-17 against 6-8 ms).
 * The database, its schema and every other read and write stay Dexie's; IndexedDB itself orders
 * this transaction with Dexie's, and live queries are told what changed, as Dexie would tell them.
 * The journal is opened with Dexie's cache off, so there is no cached result to go stale.
 */
import { Dexie, RangeSet, type ObservabilitySet } from 'dexie';
import type { JournalDb } from './db';

export interface NativeTransaction {
	get<T>(store: string, key: IDBValidKey): Promise<T | undefined>;
	getAllByIndex<T>(store: string, index: string, key: IDBValidKey): Promise<T[]>;
	/** Issued at once; a failure (a unique index, say) aborts the transaction. */
	add(store: string, value: unknown): Promise<IDBValidKey>;
}

class NativeWriteError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'NativeWriteError';
	}
}

/** A request's result. Its failure is also the transaction's, so it is never left unheard. */
function request<T>(req: IDBRequest<T>): Promise<T> {
	const result = new Promise<T>((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error ?? new NativeWriteError('An IndexedDB request failed.'));
	});
	result.catch(() => undefined);
	return result;
}

/**
 * Runs `body` in one readwrite transaction over `stores` and resolves with its result once the
 * transaction has committed. If `body` throws, the transaction is aborted and nothing it wrote
 * stays. `body` may only await this transaction's requests: IndexedDB commits a transaction that
 * is left waiting on anything else.
 */
export async function nativeWrite<T>(
	db: JournalDb,
	stores: string[],
	body: (tx: NativeTransaction) => Promise<T>
): Promise<T> {
	if (!db.isOpen()) await db.open();
	const tx = db.backendDB().transaction(stores, 'readwrite');
	const written = new Set<string>();
	const done = new Promise<void>((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onabort = () =>
			reject(
				tx.error ?? new NativeWriteError('The journal write was aborted; nothing of it was saved.')
			);
	});
	// Awaited below, after `body`: a failed check is the answer, not the abort it causes.
	done.catch(() => undefined);
	const api: NativeTransaction = {
		get: (store, key) => request(tx.objectStore(store).get(key)),
		getAllByIndex: (store, index, key) => request(tx.objectStore(store).index(index).getAll(key)),
		add: (store, value) => {
			written.add(store);
			return request(tx.objectStore(store).add(value));
		}
	};
	let result: T;
	try {
		result = await body(api);
	} catch (error) {
		abort(tx);
		throw error;
	}
	// The requests are all answered by now (body awaited them): committing saves the wait for
	// IndexedDB to notice that none is left. Should the transaction be past that already, its
	// complete or abort event still says what became of it.
	try {
		tx.commit();
	} catch {
		// Not active any more: `done` tells.
	}
	await done;
	// After returning: the card's request need not wait for the screen to hear of it.
	if (written.size > 0) setTimeout(() => Dexie.on.storagemutated.fire(everythingIn(db, written)));
	return result;
}

function abort(tx: IDBTransaction): void {
	try {
		tx.abort();
	} catch {
		// Already aborted by a failed request: nothing of it was saved either way.
	}
}

/** Every key and index of `tables`: live queries over them run again and read what is there. */
function everythingIn(db: JournalDb, tables: Set<string>): ObservabilitySet {
	const parts: ObservabilitySet = {};
	for (const name of tables) {
		const schema = db.table(name).schema;
		for (const part of ['', ':dels', ...schema.indexes.map((index) => index.name)]) {
			parts[`idb://${db.name}/${name}/${part}`] = new RangeSet(-Infinity, [[]]);
		}
	}
	return parts;
}
