/**
 * One writer per browser: the tab holding the Web Lock sells; another tab of the same POS shows
 * "This POS is open in another tab" instead, so two tabs never drive one journal and one terminal.
 */

export interface WriterLock {
	/** Lets another tab take over. Idempotent. */
	release(): void;
	/** False when the browser has no Web Locks API: other tabs are then not excluded. */
	exclusive: boolean;
}

/** The part of the Web Locks `LockManager` this module uses. */
export interface LockManagerLike {
	request<T>(
		name: string,
		options: { ifAvailable: boolean },
		callback: (lock: unknown) => Promise<T> | T
	): Promise<T>;
}

function browserLocks(): LockManagerLike | undefined {
	return typeof navigator === 'undefined' ? undefined : navigator.locks;
}

/**
 * Takes the writer lock for the life of the tab (until `release`). Resolves `null` at once when
 * another tab holds it.
 */
export function acquireWriterLock(
	name = 'pos-writer',
	locks: LockManagerLike | undefined = browserLocks()
): Promise<WriterLock | null> {
	if (!locks) {
		// Web Locks exist in every browser this POS supports (2022+); without them, sell anyway
		// rather than lock the cashier out, and say so through `exclusive`.
		return Promise.resolve({ release() {}, exclusive: false });
	}
	return new Promise((resolve, reject) => {
		locks
			.request(name, { ifAvailable: true }, (lock) => {
				if (!lock) {
					resolve(null);
					return;
				}
				// Holding this promise open holds the lock.
				return new Promise<void>((release) =>
					resolve({ release: () => release(), exclusive: true })
				);
			})
			.catch(reject);
	});
}
