import { nextNetworkState, type NetworkState } from '$lib/app/network-state';

/** How often the till asks the server whether it is there (beside every sync and API call). */
const PROBE_EVERY_MS = 10_000;
/** A server that takes longer than this to answer counts as unreachable (a black-holed route). */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * One call to the server's health route: answered (2xx) or not. HEAD: the till needs no more than
 * that, and the body names the server's store, which tills are not told (tests/secrets.e2e.ts).
 */
async function probeServer(): Promise<boolean> {
	try {
		const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
		return (await fetch('/api/health', { method: 'HEAD', cache: 'no-store', signal })).ok;
	} catch {
		return false;
	}
}

/**
 * Online, offline, or the server unreachable, and since when (`$lib/app/network-state`): from the
 * browser's online/offline events, a health probe every 10 s and every sync's outcome.
 */
export class Network {
	#state = $state<NetworkState>({ kind: 'online', since: Date.now() });
	#browserOnline = typeof navigator === 'undefined' ? true : navigator.onLine;
	#probe: () => Promise<boolean>;
	#timer: ReturnType<typeof setInterval> | null = null;

	constructor(probe: () => Promise<boolean> = probeServer) {
		this.#probe = probe;
		this.#observe(null);
	}

	get state(): NetworkState {
		return this.#state;
	}

	/** The server answers: what needs it may be used. */
	get serverReachable(): boolean {
		return this.#state.kind === 'online';
	}

	start(): void {
		if (this.#timer !== null) return;
		addEventListener('online', () => {
			this.#browserOnline = true;
			this.#observe(null);
			void this.probe();
		});
		addEventListener('offline', () => {
			this.#browserOnline = false;
			this.#observe(null);
		});
		this.#timer = setInterval(() => void this.probe(), PROBE_EVERY_MS);
		void this.probe();
	}

	/** A call to the server was answered (`true`) or could not reach it (`false`). */
	report(reached: boolean): void {
		this.#observe(reached);
	}

	async probe(): Promise<void> {
		this.report(await this.#probe());
	}

	#observe(serverReached: boolean | null): void {
		this.#browserOnline = typeof navigator === 'undefined' ? true : navigator.onLine;
		this.#state = nextNetworkState(
			this.#state,
			{ browserOnline: this.#browserOnline, serverReached },
			Date.now()
		);
	}
}
