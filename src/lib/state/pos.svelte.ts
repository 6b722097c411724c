import { getContext, setContext } from 'svelte';
import { Journal, openJournalDb } from '$lib/journal';
import { acquireWriterLock } from '$lib/journal/tab-lock';
import { checkStorage } from '$lib/journal/storage';
import { handleUnsolicitedResult, reconcileAttempt, reconcilePending } from '$lib/journal/payments';
import { syncOnce, pendingSyncCount } from '$lib/journal/sync';
import type { TerminalDriver } from '$lib/terminals/driver';
import { Cart } from './cart.svelte';
import { Catalog } from './catalog.svelte';
import { Session } from './session.svelte';
import { Terminals } from './terminals.svelte';

const KEY = Symbol('pos');
const RECONCILE_EVERY_MS = 5_000;
const SYNC_EVERY_MS = 15_000;

export type LockState = 'acquiring' | 'held' | 'other-tab';

/** The till: who is signed in, the journal, the terminals, the cart and background upkeep. */
export class Pos {
	session = new Session();
	terminals = new Terminals(() => this.session.device?.token);
	catalog = new Catalog();
	cart = new Cart();
	journal = $state.raw<Journal | null>(null);
	lock = $state<LockState>('acquiring');
	storageWarning = $state<string | null>(null);
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	unsynced = $state(0);
	syncError = $state<string | null>(null);
	startError = $state<string | null>(null);
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
		addEventListener('online', () => {
			this.online = true;
			void this.sync();
		});
		addEventListener('offline', () => (this.online = false));
		// Rule 4: every attempt left in flight by a crash or reload is reconciled at start-up.
		await this.reconcile(true);
		this.#timers.push(setInterval(() => void this.reconcile(false), RECONCILE_EVERY_MS));
		this.#timers.push(setInterval(() => void this.sync(), SYNC_EVERY_MS));
		void this.sync();
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
	/**
	 * Asks the terminals about every attempt whose result is not known. At start-up (rule 4) that
	 * includes attempts left `sent` by a crash or reload; later only `unknown` ones, since a `sent`
	 * one is still being waited for by the screen that sent it.
	 */
	async reconcile(atStartup: boolean): Promise<void> {
		const journal = this.journal;
		if (!journal || this.#reconciling) return;
		this.#reconciling = true;
		try {
			const pending = atStartup
				? await journal.attemptsInState('created', 'sent', 'unknown')
				: await journal.attemptsInState('unknown');
			if (pending.length === 0) return;
			const drivers = await this.#driversFor(pending.map((a) => a.terminalId));
			if (atStartup) {
				await reconcilePending(journal, (id) => drivers.get(id));
				return;
			}
			for (const attempt of pending) {
				const driver = drivers.get(attempt.terminalId);
				if (driver) await reconcileAttempt(journal, driver, attempt).catch(() => undefined);
			}
		} finally {
			this.#reconciling = false;
		}
	}

	async sync(): Promise<void> {
		const journal = this.journal;
		if (!journal || !this.session.device) return;
		try {
			await syncOnce(journal, {
				headers: { authorization: `Bearer ${this.session.device.token}` }
			});
			this.syncError = null;
		} catch (error) {
			this.syncError = error instanceof Error ? error.message : String(error);
		}
		this.unsynced = await pendingSyncCount(journal);
	}

	stop(): void {
		for (const timer of this.#timers) clearInterval(timer);
		this.#timers = [];
	}
}

export function setPos(pos: Pos): Pos {
	return setContext(KEY, pos);
}

export function usePos(): Pos {
	return getContext<Pos>(KEY);
}
