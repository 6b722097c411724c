import { z } from 'zod/mini';
import { apiCall, ApiError } from '$lib/api/client';
import { CredentialStore } from './credential-store';
import { readLocal, writeLocal } from './local-store';
import {
	loginResponse,
	managerResponse,
	pairingCodeResponse,
	pairResponse,
	serverConfigSchema,
	storedDevice,
	storedSession,
	type ApprovalRequest,
	type ServerConfig,
	type Staff
} from './session-schemas';

const DEVICE_KEY = 'pos.device';
const SESSION_KEY = 'pos.session';
const CONFIG_KEY = 'pos.server-config';
const REVOKED_KEY = 'pos.revoked';

type Device = { deviceId: string; token: string; name: string };

/**
 * Who is using this POS: the paired device, the signed-in staff member and the configuration the
 * server provisioned. The credentials are kept in IndexedDB (`credential-store.ts`), read once at
 * start: nothing may decide "not paired" before `loaded`. The configuration is a cache in
 * localStorage, so the till keeps working when the server is unreachable.
 */
export class Session {
	#device = $state<Device | null>(null);
	#staff = $state<Staff | null>(null);
	#config = $state<ServerConfig | null>(null);
	#loaded = $state(false);
	/** A manager removed this till in the back office (issue 13); its journal is kept. */
	#revoked = $state(false);
	#sessionToken: string | null = null;
	#expiresAt = $state(0);
	readonly #store: CredentialStore;
	/** Resolves once the stored credentials are read. */
	readonly ready: Promise<void>;

	constructor(store: CredentialStore = new CredentialStore()) {
		this.#store = store;
		this.#config = readLocal(CONFIG_KEY, serverConfigSchema);
		this.#revoked = readLocal(REVOKED_KEY, z.boolean()) === true;
		this.ready = this.#load();
	}

	async #load(): Promise<void> {
		try {
			this.#device = await this.#store.readMigrating(DEVICE_KEY, storedDevice);
			const session = await this.#store.readMigrating(SESSION_KEY, storedSession);
			if (session && session.expiresAt > Date.now()) {
				this.#staff = session.staff;
				this.#sessionToken = session.sessionToken;
				this.#expiresAt = session.expiresAt;
			}
		} catch (error) {
			// IndexedDB unusable: the till can still be paired again; say why in the console.
			console.error('The stored pairing could not be read:', error);
		} finally {
			this.#loaded = true;
		}
	}

	/** False until the stored credentials are read. */
	get loaded(): boolean {
		return this.#loaded;
	}

	get device(): Device | null {
		return this.#device;
	}

	get staff(): Staff | null {
		return this.#staff;
	}

	get revoked(): boolean {
		return this.#revoked;
	}

	/**
	 * Notes a `device_revoked` answer: the till stops and says why, but keeps its pairing and its
	 * journal (unsynced sales stay until a manager pairs it again or exports them).
	 */
	noteRevoked(error: unknown): boolean {
		if (!(error instanceof ApiError) || error.code !== 'device_revoked') return false;
		this.#revoked = true;
		writeLocal(REVOKED_KEY, true);
		return true;
	}

	get config(): ServerConfig | null {
		return this.#config;
	}

	get credentials() {
		return { deviceToken: this.#device?.token, staffSession: this.#sessionToken };
	}

	get signedIn(): boolean {
		return this.#staff !== null && this.#expiresAt > Date.now();
	}

	async pair(code: string, name: string): Promise<void> {
		const result = await apiCall('/api/devices/pair', pairResponse, { body: { code, name } });
		const device = { ...result, name };
		// On disk before the till shows itself paired: the code is used up now.
		await this.#store.write(DEVICE_KEY, device);
		this.#device = device;
		this.#revoked = false;
		writeLocal(REVOKED_KEY, false);
		await this.refreshConfig();
	}

	async login(pin: string): Promise<void> {
		let result;
		try {
			result = await apiCall('/api/auth/login', loginResponse, {
				body: { pin },
				credentials: this.credentials
			});
		} catch (error) {
			this.noteRevoked(error);
			throw error;
		}
		await this.#store.write(SESSION_KEY, result);
		this.#staff = result.staff;
		this.#sessionToken = result.sessionToken;
		this.#expiresAt = result.expiresAt;
		await this.refreshConfig().catch(() => undefined);
	}

	async logout(): Promise<void> {
		this.#staff = null;
		this.#sessionToken = null;
		this.#expiresAt = 0;
		await this.#store.write(SESSION_KEY, null);
	}

	/** Forgets the pairing, e.g. when the server no longer knows this device. */
	async unpair(): Promise<void> {
		this.#device = null;
		await Promise.all([this.logout(), this.#store.write(DEVICE_KEY, null)]);
	}

	/** Fetches the provisioned configuration; keeps the cached one when offline. */
	async refreshConfig(): Promise<ServerConfig | null> {
		try {
			const config = await apiCall('/api/config', serverConfigSchema, {
				credentials: this.credentials
			});
			this.#config = config;
			writeLocal(CONFIG_KEY, config);
		} catch (error) {
			if (error instanceof ApiError && error.status === 401 && error.code === 'device_not_paired') {
				await this.unpair();
			}
			if (this.noteRevoked(error)) return this.#config;
			if (!(error instanceof ApiError) || !error.offline) throw error;
		}
		return this.#config;
	}

	/**
	 * Asks the server for a manager's approval of one operation; throws an ApiError when `pin` is not
	 * a manager's or the server cannot be reached (money does not leave without the server's word).
	 */
	async approveByManager(pin: string, scope: ApprovalRequest) {
		return apiCall('/api/auth/manager', managerResponse, {
			body: { pin, ...scope },
			credentials: this.credentials
		});
	}

	/** A one-time code that pairs one more till; only a signed-in manager gets one. */
	/** A one-time code that pairs one more till, for a manager's `pin`. */
	async issuePairingCode(pin: string) {
		return apiCall('/api/devices/pairing-codes', pairingCodeResponse, {
			body: { pin },
			credentials: this.credentials
		});
	}
}
