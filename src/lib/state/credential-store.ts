/**
 * Where the till keeps its device credential and its staff session: a tiny IndexedDB database of
 * its own, every write committed with `durability: 'strict'`, so a pairing is on disk before the
 * till says it is paired. localStorage is written lazily by Chrome: a browser killed within seconds
 * of pairing forgot the pairing, and the server would never pair that till again with a used code.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { z } from 'zod/mini';
import { readLocal, writeLocal } from './local-store';

interface Entry {
	key: string;
	value: unknown;
}

class CredentialDb extends Dexie {
	entries!: EntityTable<Entry, 'key'>;
	constructor(name: string) {
		// Dexie passes this to every transaction it opens (IDBDatabase.transaction's options).
		super(name, { chromeTransactionDurability: 'strict' });
		this.version(1).stores({ entries: 'key' });
	}
}

export class CredentialStore {
	readonly #db: CredentialDb;

	constructor(name = 'pos-credentials') {
		this.#db = new CredentialDb(name);
	}

	/** The value under `key`, validated; a corrupt one is dropped, not trusted. */
	async read<T>(key: string, schema: z.ZodMiniType<T>): Promise<T | null> {
		const entry = await this.#db.entries.get(key);
		if (entry === undefined) return null;
		const parsed = schema.safeParse(entry.value);
		if (parsed.success) return parsed.data;
		await this.#db.entries.delete(key);
		return null;
	}

	/** Resolves once the write is durable; null deletes. */
	async write(key: string, value: unknown): Promise<void> {
		if (value === null || value === undefined) await this.#db.entries.delete(key);
		else await this.#db.entries.put({ key, value });
	}

	/**
	 * Reads `key`, taking it over from localStorage once: a till paired before this store existed
	 * stays paired, and the localStorage copy goes once IndexedDB holds it.
	 */
	async readMigrating<T>(key: string, schema: z.ZodMiniType<T>): Promise<T | null> {
		const stored = await this.read(key, schema);
		if (stored !== null) return stored;
		const legacy = readLocal(key, schema);
		if (legacy === null) return null;
		await this.write(key, legacy);
		writeLocal(key, null);
		return legacy;
	}
}
