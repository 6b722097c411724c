/**
 * The POS-KEY of each Haojin terminal, kept on this device only: never in the terminal's params
 * (those are synced and provisioned), never sent to the server, never shown again once saved.
 *
 * Why the key text is sealed rather than stored as the AES key itself: the request digest is
 * `MD5(formatted_content + POS_KEY)` (NOTES.md §3), so signing a request needs the key's text,
 * which a non-extractable AES-CBC `CryptoKey` cannot give back. The text is therefore sealed with
 * AES-GCM under a per-device, non-extractable `CryptoKey` that lives in the same IndexedDB
 * database (CryptoKeys are structured-cloneable). Reading the database gives ciphertext; only
 * page code on this device can unseal it, and no code can export the device key.
 */
import Dexie, { type EntityTable } from 'dexie';
import { DEFAULT_POS_KEY, keyBytes, type KeyMode } from './cipher';

interface SealedPosKey {
	terminalId: string;
	iv: Uint8Array<ArrayBuffer>;
	sealed: ArrayBuffer;
	/** The factory key: the settings screen keeps warning until it is changed. */
	isDefault: boolean;
	savedAt: number;
}

interface DeviceKey {
	id: 'device';
	key: CryptoKey;
}

export interface StoredPosKeyInfo {
	isDefault: boolean;
	savedAt: number;
}

const encoder = new TextEncoder();

type KeyDb = Dexie & {
	keys: EntityTable<SealedPosKey, 'terminalId'>;
	device: EntityTable<DeviceKey, 'id'>;
};

export class PosKeyStore {
	readonly #db: KeyDb;

	constructor(name = 'pos-haojin-keys') {
		this.#db = new Dexie(name) as KeyDb;
		this.#db.version(1).stores({ keys: 'terminalId', device: 'id' });
	}

	/** The device's sealing key, made on first use. Two tabs racing keep whichever was stored first. */
	async #deviceKey(): Promise<CryptoKey> {
		const existing = await this.#db.device.get('device');
		if (existing) return existing.key;
		const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
			'encrypt',
			'decrypt'
		]);
		return this.#db.transaction('rw', this.#db.device, async () => {
			const stored = await this.#db.device.get('device');
			if (stored) return stored.key;
			await this.#db.device.add({ id: 'device', key: fresh });
			return fresh;
		});
	}

	/**
	 * Validates the key for `keyMode` (throws `PosKeyFormatError` with a cashier-facing reason) and
	 * stores it sealed. The terminal id is bound into the seal, so records cannot be swapped.
	 */
	async save(terminalId: string, posKey: string, keyMode: KeyMode): Promise<void> {
		const text = posKey.trim();
		keyBytes(text, keyMode);
		const iv = crypto.getRandomValues(new Uint8Array(12));
		const sealed = await crypto.subtle.encrypt(
			{ name: 'AES-GCM', iv, additionalData: encoder.encode(terminalId) },
			await this.#deviceKey(),
			encoder.encode(text)
		);
		await this.#db.keys.put({
			terminalId,
			iv,
			sealed,
			isDefault: text.toLowerCase() === DEFAULT_POS_KEY,
			savedAt: Date.now()
		});
	}

	/** The key text for the driver, or `undefined` when none was entered on this device. */
	async load(terminalId: string): Promise<string | undefined> {
		const record = await this.#db.keys.get(terminalId);
		const device = await this.#db.device.get('device');
		if (!record || !device) return undefined;
		try {
			const plain = await crypto.subtle.decrypt(
				{ name: 'AES-GCM', iv: record.iv, additionalData: encoder.encode(terminalId) },
				device.key,
				record.sealed
			);
			return new TextDecoder().decode(plain);
		} catch {
			// Tampered with or sealed under another device key: as good as missing.
			return undefined;
		}
	}

	/** Whether a key is stored, without unsealing it (for the settings screen). */
	async describe(terminalId: string): Promise<StoredPosKeyInfo | undefined> {
		const record = await this.#db.keys.get(terminalId);
		return record && { isDefault: record.isDefault, savedAt: record.savedAt };
	}

	async remove(terminalId: string): Promise<void> {
		await this.#db.keys.delete(terminalId);
	}

	close(): void {
		this.#db.close();
	}
}

let shared: PosKeyStore | undefined;

/** The till's store (created on first use, so importing this module touches no storage). */
export function posKeyStore(): PosKeyStore {
	shared ??= new PosKeyStore();
	return shared;
}
