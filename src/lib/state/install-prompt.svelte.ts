/** Chrome's `beforeinstallprompt` event (not in the DOM typings). */
interface InstallPromptEvent extends Event {
	prompt(): Promise<void>;
	readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export type InstallState = 'installed' | 'can-install' | 'unavailable';

/**
 * Installing the till as an app. The browser offers it (`beforeinstallprompt`) only when the
 * manifest, icons and service worker make the app installable and it is not installed yet; the
 * event is kept so that Settings can offer "Install" at a moment the cashier chooses.
 */
export class InstallPrompt {
	#event = $state.raw<InstallPromptEvent | null>(null);
	#installed = $state(false);

	constructor() {
		if (typeof window === 'undefined') return;
		this.#installed = matchMedia('(display-mode: standalone)').matches;
		// An offer made before this ran, kept by the page's first script (`src/app.html`).
		const early = (window as { __posInstallPrompt?: InstallPromptEvent }).__posInstallPrompt;
		if (early) this.#event = early;
		addEventListener('beforeinstallprompt', (event) => {
			event.preventDefault();
			this.#event = event as InstallPromptEvent;
		});
		addEventListener('appinstalled', () => {
			this.#installed = true;
			this.#event = null;
		});
	}

	get state(): InstallState {
		if (this.#installed) return 'installed';
		return this.#event ? 'can-install' : 'unavailable';
	}

	/** Shows the browser's install dialog; true when the cashier accepted. */
	async install(): Promise<boolean> {
		const event = this.#event;
		if (!event) return false;
		await event.prompt();
		const { outcome } = await event.userChoice;
		// A prompt can be shown once: the browser fires a new event if it may ask again.
		this.#event = null;
		return outcome === 'accepted';
	}
}
