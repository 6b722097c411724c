import { version } from '$app/environment';
import { versionQuery } from '$lib/app/sw-messages';

/** How often a running till asks the server whether a new version is out. */
const CHECK_EVERY_MS = 15 * 60_000;
/** How often a deferred update looks again whether the sale it waits for is over. */
const RETRY_EVERY_MS = 1_000;

/**
 * A new version of the app, downloaded by the service worker in the background and waiting
 * (`src/service-worker/index.ts` never takes over by itself). The cashier is offered it; it is
 * applied only when `blocker` says nothing is in the way, else deferred until then. A page of this
 * version that another tab's update left behind reloads on the same condition.
 */
export class AppUpdate {
	#available = $state(false);
	#dismissed = $state(false);
	/** Why a requested update (or a reload onto the new version) still waits; null if it does not. */
	#waitingFor = $state<string | null>(null);
	#checkError = $state<string | null>(null);
	#registration: ServiceWorkerRegistration | null = null;
	#retry: ReturnType<typeof setInterval> | null = null;
	#blocker: () => Promise<string | null>;

	constructor(blocker: () => Promise<string | null>) {
		this.#blocker = blocker;
		if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
		const container = navigator.serviceWorker;
		container.addEventListener('message', (event) => {
			// The worker asks which version this page runs before it deletes old caches.
			if (versionQuery.safeParse(event.data).success) event.ports[0]?.postMessage({ version });
		});
		container.startMessages();
		// A change of worker is a new version taking over, except the first worker's claim of a
		// page that loaded without one.
		let controlled = container.controller !== null;
		container.addEventListener('controllerchange', () => {
			if (controlled) this.#whenIdle(() => location.reload());
			controlled = true;
		});
		void container.ready.then((registration) => this.#watch(registration));
	}

	/** A new version is downloaded and waits to be applied. */
	get available(): boolean {
		return this.#available;
	}

	/** The offer is shown (not put off with "Later"). */
	get offered(): boolean {
		return this.#available && !this.#dismissed;
	}

	get waitingFor(): string | null {
		return this.#waitingFor;
	}

	get checkError(): string | null {
		return this.#checkError;
	}

	/** "Later": the offer goes away until the next version or until Settings applies it. */
	later(): void {
		this.#dismissed = true;
		this.#stopRetry();
		this.#waitingFor = null;
	}

	/** Asks the server for a new version now. */
	async check(): Promise<void> {
		this.#checkError = null;
		try {
			await this.#registration?.update();
		} catch {
			this.#checkError = 'The POS server cannot be reached: no new version could be looked for.';
		}
	}

	/** "Update now": applied at once when nothing is in the way, else as soon as nothing is. */
	apply(): void {
		this.#dismissed = false;
		this.#whenIdle(() => this.#registration?.waiting?.postMessage({ type: 'apply-update' }));
	}

	#watch(registration: ServiceWorkerRegistration): void {
		this.#registration = registration;
		const container = navigator.serviceWorker;
		// Tidies caches that no page uses any more, now that this page runs (and says its version).
		container.controller?.postMessage({ type: 'tidy-caches' });
		const update = () => {
			if (registration.waiting && container.controller) {
				this.#available = true;
				this.#dismissed = false;
			}
		};
		update();
		registration.addEventListener('updatefound', () => {
			const incoming = registration.installing;
			incoming?.addEventListener('statechange', () => {
				if (incoming.state === 'installed') update();
			});
		});
		setInterval(() => void this.check(), CHECK_EVERY_MS);
	}

	/** Runs `step` once `blocker` lets it, checking again every second meanwhile. */
	#whenIdle(step: () => void): void {
		this.#stopRetry();
		const attempt = async () => {
			const reason = await this.#blocker();
			this.#waitingFor = reason;
			if (reason !== null) return false;
			this.#stopRetry();
			step();
			return true;
		};
		void attempt().then((done) => {
			if (!done) this.#retry = setInterval(() => void attempt(), RETRY_EVERY_MS);
		});
	}

	#stopRetry(): void {
		if (this.#retry !== null) clearInterval(this.#retry);
		this.#retry = null;
	}
}
