import { getContext, setContext } from 'svelte';
import { version } from '$app/environment';
import { Journal, openJournalDb, type Order } from '$lib/journal';
import { acquireWriterLock } from '$lib/journal/tab-lock';
import { checkStorage } from '$lib/journal/storage';
import {
	handleUnsolicitedResult,
	interruptInFlight,
	reconcileUnknown
} from '$lib/journal/payments';
import { syncOnce, pendingSyncCount, SyncError } from '$lib/journal/sync';
import { liveQuery } from 'dexie';
import type { TerminalDriver } from '$lib/terminals/driver';
import { z } from 'zod/mini';
import { Cart } from './cart.svelte';
import { readLocal, writeLocal } from './local-store';
import { Catalog } from './catalog.svelte';
import { Session } from './session.svelte';
import { Terminals } from './terminals.svelte';
import { AppUpdate } from './app-update.svelte';
import { InstallPrompt } from './install-prompt.svelte';
import { Network } from './network.svelte';
import { ReceiptPrinter } from './receipt-printer.svelte';
import { updateBlocker } from '$lib/app/update-gate';

const KEY = Symbol('pos');
const RECONCILE_EVERY_MS = 5_000;
const SYNC_EVERY_MS = 15_000;
/** Catalog changes reach a till within this: each ask is a few bytes when nothing changed. */
const CATALOG_EVERY_MS = 5_000;
/** Where the order at the checkout is remembered, so a reload or a detour comes back to it. */
const CHECKOUT_KEY = 'pos.checkoutOrder';

export type LockState = 'acquiring' | 'held' | 'other-tab';

/** The till: who is signed in, the journal, the terminals, the cart and background upkeep. */
export class Pos {
	session = new Session();
	terminals = new Terminals(
		() => this.session.device?.token,
		() => this.session.config?.demo === true,
		() => this.session.credentials.staffSession
	);
	catalog = new Catalog();
	cart = new Cart();
	/** A new version of the app, applied only between sales. */
	update = new AppUpdate(() => this.updateBlocker());
	install = new InstallPrompt();
	/** The receipt printer: the browser's print dialog, or an ESC/POS printer. */
	printer = new ReceiptPrinter();
	journal = $state.raw<Journal | null>(null);
	lock = $state<LockState>('acquiring');
	storageWarning = $state<string | null>(null);
	/** Online, offline or the server unreachable, and since when. */
	network = new Network();
	unsynced = $state(0);
	syncError = $state<string | null>(null);
	startError = $state<string | null>(null);
	/**
	 * The order at the checkout. The sell screen shows it until it is done or taken back to the
	 * cart, across navigation and reloads, so its goods are never rung up as a second order.
	 */
	checkoutOrderId = $state<string | null>(null);
	#timers: ReturnType<typeof setInterval>[] = [];
	#started = false;

	/** Call once the device is paired and a cashier signed in. */
	async start(): Promise<void> {
		if (this.#started) return;
		this.#started = true;
		const lock = await acquireWriterLock();
		if (!lock) {
			this.lock = 'other-tab';
			this.#started = false;
			return;
		}
		this.lock = 'held';
		const device = this.session.device;
		const config = this.session.config;
		if (!device) throw new Error('This till is not paired.');
		const journal = new Journal(openJournalDb(), {
			deviceId: device.deviceId,
			prefix: config?.devicePrefix ?? device.deviceId.slice(0, 2).toUpperCase()
		});
		// Rule 4, before the till can start a payment: nothing of this app is in flight yet.
		await interruptInFlight(journal);
		await this.#resumeCheckout(journal);
		this.journal = journal;
		this.terminals.setProvisioned(config?.terminals ?? []);
		this.terminals.onUnsolicitedResult((merchantOrderNo, outcome) => {
			void handleUnsolicitedResult(journal, merchantOrderNo, outcome);
		});
		this.cart.currency = config?.currency ?? 'USD';
		void checkStorage().then((status) => (this.storageWarning = status.warning ?? null));
		this.catalog.load(this.session.credentials).catch((error: Error) => {
			this.startError = `The catalog could not be loaded: ${error.message}`;
		});
		this.network.start();
		addEventListener('online', () => void this.sync());
		// The "to sync" count follows the journal: a sale shows in it at once, not at the next sync.
		liveQuery(() => pendingSyncCount(journal)).subscribe({
			next: (count) => (this.unsynced = count)
		});
		// Rule 4: every attempt left in flight by a crash or reload is now `unknown`: ask about them.
		await this.reconcile();
		this.#timers.push(setInterval(() => void this.reconcile(), RECONCILE_EVERY_MS));
		this.#timers.push(setInterval(() => void this.sync(), SYNC_EVERY_MS));
		this.#timers.push(setInterval(() => void this.refreshCatalog(), CATALOG_EVERY_MS));
		void this.sync();
	}

	/** The catalog's changes since this till's version; offline, the last catalog stays. */
	async refreshCatalog(): Promise<void> {
		if (typeof navigator !== 'undefined' && !navigator.onLine) return;
		await this.catalog.refresh(this.session.credentials).catch(() => undefined);
	}

	async #driversFor(terminalIds: string[]): Promise<Map<string, TerminalDriver>> {
		const drivers = new Map<string, TerminalDriver>();
		for (const id of new Set(terminalIds)) {
			try {
				drivers.set(id, await this.terminals.driver(id));
			} catch {
				// Not configured or not reachable now: the attempt stays unknown and is retried.
			}
		}
		return drivers;
	}

	#reconciling = false;
	/** Asks the terminals about every attempt whose result is not known (rule 4). */
	async reconcile(): Promise<void> {
		const journal = this.journal;
		if (!journal || this.#reconciling) return;
		this.#reconciling = true;
		try {
			const pending = await journal.attemptsInState('unknown');
			if (pending.length === 0) return;
			const drivers = await this.#driversFor(pending.map((a) => a.terminalId));
			await reconcileUnknown(journal, (id) => drivers.get(id));
		} finally {
			this.#reconciling = false;
		}
	}

	/** Why a new version may not take over now (a payment in flight, an order at the checkout). */
	async updateBlocker(): Promise<string | null> {
		const inFlight = this.journal
			? await this.journal.attemptsInState('created', 'sent', 'unknown')
			: [];
		return updateBlocker({
			attemptsInFlight: inFlight.length,
			terminalBusy: Object.values(this.terminals.statuses).includes('busy'),
			orderAtCheckout: this.checkoutOrderId !== null
		});
	}

	/** Puts `order` at the checkout; its lines fill the cart, for going back to edit them. */
	openCheckout(order: Order): void {
		this.cart.restore(order.lines, order.orderDiscount);
		this.checkoutOrderId = order.id;
		writeLocal(CHECKOUT_KEY, order.id);
	}

	/** The order leaves the checkout (paid and done, kept open, or taken back to the cart). */
	closeCheckout(): void {
		this.checkoutOrderId = null;
		writeLocal(CHECKOUT_KEY, null);
	}

	async #resumeCheckout(journal: Journal): Promise<void> {
		const id = readLocal(CHECKOUT_KEY, z.string());
		const order = id ? await journal.getOrder(id) : undefined;
		if (order && order.status !== 'cancelled') this.openCheckout(order);
		else this.closeCheckout();
	}

	/** Fetches the server's configuration again: store settings and the terminals it provisions. */
	async reloadConfig(): Promise<void> {
		await this.session.refreshConfig();
		this.terminals.setProvisioned(this.session.config?.terminals ?? []);
	}

	async sync(): Promise<void> {
		const journal = this.journal;
		if (!journal || !this.session.device) return;
		try {
			const result = await syncOnce(journal, {
				headers: {
					authorization: `Bearer ${this.session.device.token}`,
					// What the back office shows of this till (issue 13).
					'x-till-unsynced': String(await pendingSyncCount(journal)),
					'x-app-version': version
				}
			});
			this.syncError = null;
			// Nothing to send is no word from the server: the health probe speaks for it then.
			if (result.batches > 0) this.network.report(true);
		} catch (error) {
			this.syncError = error instanceof Error ? error.message : String(error);
			this.network.report(!(error instanceof SyncError && serverDown(error)));
		}
		this.unsynced = await pendingSyncCount(journal);
		// Store settings, staff and terminals changed in the back office arrive with the sync.
		await this.reloadConfig().catch(() => undefined);
	}

	stop(): void {
		for (const timer of this.#timers) clearInterval(timer);
		this.#timers = [];
	}
}

/** The sync found no server: no answer at all, or a gateway's in front of a server that is down. */
function serverDown(error: SyncError): boolean {
	return error.code === 'network' || (error.status !== undefined && error.status >= 502);
}

export function setPos(pos: Pos): Pos {
	return setContext(KEY, pos);
}

export function usePos(): Pos {
	return getContext<Pos>(KEY);
}
