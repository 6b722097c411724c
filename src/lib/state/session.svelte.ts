import { apiCall, ApiError } from '$lib/api/client';
import { readLocal, writeLocal } from './local-store';
import {
	loginResponse,
	managerResponse,
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

/**
 * Who is using this POS: the paired device, the signed-in staff member and the configuration the
 * server provisioned. Everything is cached locally so the till keeps working when the server is
 * unreachable.
 */
export class Session {
	device = $state<{ deviceId: string; token: string; name: string } | null>(null);
	staff = $state<Staff | null>(null);
	config = $state<ServerConfig | null>(null);
	#sessionToken: string | null = null;
	#expiresAt = 0;

	constructor() {
		this.device = readLocal(DEVICE_KEY, storedDevice);
		const session = readLocal(SESSION_KEY, storedSession);
		if (session && session.expiresAt > Date.now()) {
			this.staff = session.staff;
			this.#sessionToken = session.sessionToken;
			this.#expiresAt = session.expiresAt;
		}
		this.config = readLocal(CONFIG_KEY, serverConfigSchema);
	}

	get credentials() {
		return { deviceToken: this.device?.token, staffSession: this.#sessionToken };
	}

	get signedIn(): boolean {
		return this.staff !== null && this.#expiresAt > Date.now();
	}

	async pair(code: string, name: string): Promise<void> {
		const result = await apiCall('/api/devices/pair', pairResponse, { body: { code, name } });
		this.device = { ...result, name };
		writeLocal(DEVICE_KEY, this.device);
		await this.refreshConfig();
	}

	async login(pin: string): Promise<void> {
		const result = await apiCall('/api/auth/login', loginResponse, {
			body: { pin },
			credentials: this.credentials
		});
		this.staff = result.staff;
		this.#sessionToken = result.sessionToken;
		this.#expiresAt = result.expiresAt;
		writeLocal(SESSION_KEY, result);
		await this.refreshConfig().catch(() => undefined);
	}

	logout(): void {
		this.staff = null;
		this.#sessionToken = null;
		this.#expiresAt = 0;
		writeLocal(SESSION_KEY, null);
	}

	/** Forgets the pairing, e.g. when the server no longer knows this device. */
	unpair(): void {
		this.logout();
		this.device = null;
		writeLocal(DEVICE_KEY, null);
	}

	/** Fetches the provisioned configuration; keeps the cached one when offline. */
	async refreshConfig(): Promise<ServerConfig | null> {
		try {
			const config = await apiCall('/api/config', serverConfigSchema, {
				credentials: this.credentials
			});
			this.config = config;
			writeLocal(CONFIG_KEY, config);
		} catch (error) {
			if (error instanceof ApiError && error.status === 401 && error.code === 'device_not_paired') {
				this.unpair();
			}
			if (!(error instanceof ApiError) || !error.offline) throw error;
		}
		return this.config;
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
}
