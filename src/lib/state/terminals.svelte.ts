import { z } from 'zod/mini';
import { terminalConfigSchema } from '$lib/terminals/config';
import type {
	Outcome,
	TerminalCapabilities,
	TerminalConfig,
	TerminalDriver,
	TerminalStatus
} from '$lib/terminals/driver';
import { createDriver, railOf, type DriverOptions } from '$lib/terminals/registry';
import { localEntryToKeep, usableTerminals } from '$lib/terminals/terminal-sources';
import { readLocal, writeLocal } from './local-store';

const LOCAL_KEY = 'pos.terminals';
const SELECTED_KEY = 'pos.terminal.selected';
/**
 * The terminals saved on this till, each read on its own: one this version refuses (a rail it does
 * not know, a param of the wrong type) is left out, never the whole list with it.
 */
const localSchema = z.pipe(
	z.array(z.unknown()),
	z.transform((entries) =>
		entries.flatMap((entry) => {
			const parsed = terminalConfigSchema.safeParse(entry);
			return parsed.success ? [parsed.data] : [];
		})
	)
);

type ResultHandler = (merchantOrderNo: string, outcome: Outcome) => void;

/**
 * The terminals this till can use: those the server provisioned plus those added in Settings on
 * this device. A local entry with the id of a provisioned one overrides it (e.g. a scenario).
 */
export class Terminals {
	#provisioned = $state<TerminalConfig[]>([]);
	#local = $state<TerminalConfig[]>(readLocal(LOCAL_KEY, localSchema) ?? []);
	#selectedId = $state<string | null>(
		typeof localStorage === 'undefined' ? null : localStorage.getItem(SELECTED_KEY)
	);
	#statuses = $state<Record<string, TerminalStatus>>({});
	#capabilities = $state<Record<string, TerminalCapabilities>>({});
	#drivers = new Map<string, Promise<TerminalDriver>>();
	#unsubscribers = new Map<string, () => void>();
	/** Terminals whose settings changed while they were busy: replaced once the payment is over. */
	#stale = new Set<string>();
	#onResult: ResultHandler | null = null;
	#deviceToken: () => string | undefined;
	#staffSession: () => string | null | undefined;
	#demo: () => boolean = () => false;

	/**
	 * `deviceToken` reads this till's pairing token, with which an https page without Local Network
	 * Access reaches LAN terminals through the POS server's relay; the relay also wants the
	 * signed-in staff member's session, which `staffSession` reads whenever a driver (re)connects.
	 */
	constructor(
		deviceToken: () => string | undefined = () => undefined,
		demo: () => boolean = () => false,
		staffSession: () => string | null | undefined = () => undefined
	) {
		this.#demo = demo;
		this.#deviceToken = deviceToken;
		this.#staffSession = staffSession;
	}

	#all = $derived(usableTerminals(this.#provisioned, this.#local, this.#demo()));
	#selected = $derived(this.#all.find((t) => t.id === this.#selectedId) ?? this.#all[0] ?? null);

	/** The terminals the server provides. */
	get provisioned(): readonly TerminalConfig[] {
		return this.#provisioned;
	}
	/** What this till may use: the server's terminals (and, in demo mode, its own). */
	get all(): readonly TerminalConfig[] {
		return this.#all;
	}
	/** The terminal a card payment goes to. */
	get selected(): TerminalConfig | null {
		return this.#selected;
	}
	/** Each loaded driver's connection status, by terminal id. */
	get statuses(): Readonly<Record<string, TerminalStatus>> {
		return this.#statuses;
	}
	/** What each loaded driver offers, by terminal id (`loadCapabilities` to load one). */
	get capabilities(): Readonly<Record<string, TerminalCapabilities>> {
		return this.#capabilities;
	}

	/** Results a terminal delivers on its own (after a reconnect) go to the journal. */
	onUnsolicitedResult(handler: ResultHandler): void {
		this.#onResult = handler;
	}

	select(id: string): void {
		this.#selectedId = id;
		localStorage.setItem(SELECTED_KEY, id);
	}

	/** @throws TerminalNotAllowedError for a terminal the server does not know, outside demo mode. */
	save(config: TerminalConfig): void {
		const parsed = localEntryToKeep(
			terminalConfigSchema.parse(config),
			this.#provisioned,
			this.#demo()
		);
		this.#local = [...this.#local.filter((t) => t.id !== parsed.id), parsed];
		writeLocal(LOCAL_KEY, this.#local);
		this.#replaceDriver(parsed.id);
	}

	/**
	 * Resolves once what the terminal's rail keeps on this device for it (a key, say) is gone too,
	 * unless the server still provides the terminal.
	 */
	async remove(id: string): Promise<void> {
		const removed = this.#local.find((t) => t.id === id);
		this.#local = this.#local.filter((t) => t.id !== id);
		writeLocal(LOCAL_KEY, this.#local);
		void this.#dropDriver(id);
		if (removed && !this.#provisioned.some((t) => t.id === id)) {
			await railOf(removed.rail).forget?.(id);
		}
	}

	/** What this till builds its drivers with. */
	driverOptions(): DriverOptions {
		return {
			deviceToken: this.#deviceToken(),
			staffSession: this.#staffSession,
			demo: this.#demo()
		};
	}

	/** The server's terminals; a driver whose terminal changed or went is closed (made anew on use). */
	setProvisioned(configs: TerminalConfig[]): void {
		const before = new Map(this.#provisioned.map((t) => [t.id, JSON.stringify(t)]));
		this.#provisioned = configs;
		const after = new Map(configs.map((t) => [t.id, JSON.stringify(t)]));
		for (const [id, was] of before) {
			if (after.get(id) !== was) this.#replaceDriver(id);
		}
	}

	/**
	 * The driver for a terminal, created on first use and (re)connected when it is not connected.
	 * A terminal that cannot be reached still yields its driver: its calls then fail as "not sent".
	 */
	async driver(id: string): Promise<TerminalDriver> {
		const driver = await this.#driver(id);
		const status = driver.status();
		if (status === 'disconnected' || status === 'offline') {
			await driver.connect().catch(() => undefined);
		}
		return driver;
	}

	/** Loads a terminal's driver (without connecting) so that `capabilities[id]` is known. */
	async loadCapabilities(id: string): Promise<void> {
		await this.#driver(id).catch(() => undefined);
	}

	#driver(id: string): Promise<TerminalDriver> {
		let pending = this.#drivers.get(id);
		if (!pending) {
			const config = this.#all.find((t) => t.id === id);
			if (!config)
				return Promise.reject(new Error(`Terminal ${id} is not configured on this till.`));
			pending = createDriver($state.snapshot(config) as TerminalConfig, this.driverOptions()).then(
				(driver) => {
					this.#unsubscribers.set(
						id,
						driver.on((event) => {
							if (event.type === 'status') {
								this.#statuses[id] = event.status;
								if (event.status !== 'busy' && this.#stale.delete(id)) void this.#dropDriver(id);
							} else if (event.type === 'replace') this.#renewDriver(id);
							else this.#onResult?.(event.merchantOrderNo, event.outcome);
						})
					);
					this.#statuses[id] = driver.status();
					this.#capabilities[id] = driver.capabilities;
					return driver;
				}
			);
			pending.catch(() => this.#drivers.delete(id));
			this.#drivers.set(id, pending);
		}
		return pending;
	}

	/**
	 * The terminal's settings changed: its driver is made anew on next use. One busy with a payment
	 * is left to finish it first (closing it would cut the payment off and leave it unknown).
	 */
	#replaceDriver(id: string): void {
		if (this.#statuses[id] === 'busy') this.#stale.add(id);
		else void this.#dropDriver(id);
	}

	/**
	 * The driver's way to the terminal changed (its `replace` event): made anew and connected at
	 * once, so the till stays ready; one busy with a payment finishes it first, like a settings
	 * change, and is made anew on next use.
	 */
	#renewDriver(id: string): void {
		if (this.#statuses[id] === 'busy') this.#stale.add(id);
		else
			void this.#dropDriver(id)
				.then(() => this.driver(id))
				.catch(() => undefined);
	}

	async #dropDriver(id: string): Promise<void> {
		this.#stale.delete(id);
		const pending = this.#drivers.get(id);
		this.#drivers.delete(id);
		this.#unsubscribers.get(id)?.();
		this.#unsubscribers.delete(id);
		if (pending) await (await pending.catch(() => null))?.disconnect();
	}
}
