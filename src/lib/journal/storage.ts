/**
 * Keeping the journal on the device: ask once for persistent storage (so the browser does not evict
 * unsynced sales under pressure) and warn the cashier before the quota runs out.
 */

export interface StorageReport {
	persisted: boolean;
	usage?: number;
	quota?: number;
	nearlyFull: boolean;
	/** A sentence for the cashier, when something needs doing. */
	warning?: string;
}

/** The part of `StorageManager` this module uses. */
export interface StorageManagerLike {
	persist?(): Promise<boolean>;
	persisted?(): Promise<boolean>;
	estimate?(): Promise<{ usage?: number; quota?: number }>;
}

const MB = 1024 * 1024;
export const MIN_FREE_BYTES = 50 * MB;
export const MAX_USED_RATIO = 0.9;

/** Browsers may prompt on `persist()`: ask once per page life. */
const asked = new WeakSet<object>();

function browserStorage(): StorageManagerLike | undefined {
	return typeof navigator === 'undefined' ? undefined : navigator.storage;
}

async function attempt<T>(call: (() => Promise<T>) | undefined): Promise<T | undefined> {
	try {
		return await call?.();
	} catch {
		return undefined;
	}
}

export async function checkStorage(
	storage: StorageManagerLike | undefined = browserStorage()
): Promise<StorageReport> {
	if (!storage) {
		return {
			persisted: false,
			nearlyFull: false,
			warning:
				'This browser cannot report or protect its storage. Sync often so no sale is kept only on this device.'
		};
	}
	let persisted = (await attempt(() => storage.persisted?.() ?? Promise.resolve(false))) ?? false;
	if (!persisted && storage.persist && !asked.has(storage)) {
		asked.add(storage);
		persisted = (await attempt(() => storage.persist!())) ?? false;
	}
	const estimate = await attempt(storage.estimate && (() => storage.estimate!()));
	const { usage, quota } = estimate ?? {};
	const free = usage !== undefined && quota !== undefined ? quota - usage : undefined;
	const nearlyFull =
		free !== undefined && quota! > 0 && (usage! / quota! > MAX_USED_RATIO || free < MIN_FREE_BYTES);

	const warnings: string[] = [];
	if (nearlyFull) {
		warnings.push(
			`Storage on this device is almost full (${Math.max(0, Math.floor(free! / MB))} MB left). Sync and export the journal, then free up space, or new sales may not be saved.`
		);
	}
	if (!persisted) {
		warnings.push(
			'The browser may delete data from this POS when the device runs low on space. Sync often, or install the app to keep sales safe.'
		);
	}
	const report: StorageReport = { persisted, nearlyFull };
	if (usage !== undefined) report.usage = usage;
	if (quota !== undefined) report.quota = quota;
	if (warnings.length) report.warning = warnings.join(' ');
	return report;
}
