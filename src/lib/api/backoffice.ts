/**
 * The till's side of the back-office API (issue 13): typed calls with the signed-in manager's
 * credentials. The server checks the role on each; these only save the screens from repeating it.
 */
import { z } from 'zod/mini';
import { STAFF_ROLES } from '$lib/app/roles';
import { terminalConfigSchema } from '$lib/terminals/config';
import type { TerminalConfig } from '$lib/terminals/driver';
import { apiCall, ApiError, type Credentials } from './client';

export const staffMemberSchema = z.object({
	id: z.string(),
	name: z.string(),
	role: z.enum(STAFF_ROLES),
	active: z.boolean()
});
export type StaffMemberView = z.infer<typeof staffMemberSchema>;

export const profileSchema = z.object({
	name: z.string(),
	address: z.string(),
	taxNumber: z.string(),
	currency: z.string(),
	locale: z.string(),
	timeZone: z.string(),
	receiptHeader: z.string(),
	receiptFooter: z.string()
});
export type StoreProfile = z.infer<typeof profileSchema>;

export const tillSchema = z.object({
	id: z.string(),
	number: z.number(),
	name: z.string(),
	createdAt: z.number(),
	lastSeenAt: z.number(),
	appVersion: z.nullable(z.string()),
	unsynced: z.nullable(z.number()),
	reportedAt: z.nullable(z.number()),
	revokedAt: z.nullable(z.number()),
	revokedBy: z.nullable(z.string())
});
export type Till = z.infer<typeof tillSchema>;

export const auditEntrySchema = z.object({
	at: z.number(),
	kind: z.string(),
	deviceId: z.nullable(z.string()),
	staffId: z.nullable(z.string()),
	detail: z.record(z.string(), z.unknown())
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export class BackOfficeApi {
	readonly #credentials: () => Credentials;

	constructor(credentials: () => Credentials) {
		this.#credentials = credentials;
	}

	#call<T>(path: string, schema: z.ZodMiniType<T>, method?: string, body?: unknown): Promise<T> {
		return apiCall(`/api/backoffice/${path}`, schema, {
			method,
			body,
			credentials: this.#credentials()
		});
	}

	async staff(): Promise<StaffMemberView[]> {
		return (await this.#call('staff', z.object({ staff: z.array(staffMemberSchema) }))).staff;
	}

	addStaff(member: { name: string; role: string; pin: string }) {
		return this.#call('staff', z.object({ member: staffMemberSchema }), 'POST', member);
	}

	editStaff(
		id: string,
		change: Partial<{ name: string; role: string; active: boolean; pin: string }>
	) {
		return this.#call(
			`staff/${encodeURIComponent(id)}`,
			z.object({ member: staffMemberSchema }),
			'PATCH',
			change
		);
	}

	async terminals(): Promise<TerminalConfig[]> {
		const schema = z.object({ terminals: z.array(terminalConfigSchema) });
		return (await this.#call('terminals', schema)).terminals;
	}

	putTerminal(terminal: TerminalConfig) {
		return this.#call(`terminals/${encodeURIComponent(terminal.id)}`, z.unknown(), 'PUT', terminal);
	}

	removeTerminal(id: string) {
		return this.#call(`terminals/${encodeURIComponent(id)}`, z.unknown(), 'DELETE');
	}

	tills() {
		return this.#call(
			'tills',
			z.object({ tills: z.array(tillSchema), you: z.nullable(z.string()) })
		);
	}

	renameTill(id: string, name: string) {
		return this.#call(`tills/${encodeURIComponent(id)}`, z.unknown(), 'PATCH', { name });
	}

	revokeTill(id: string) {
		return this.#call(`tills/${encodeURIComponent(id)}/revoke`, z.unknown(), 'POST', {});
	}

	async profile(): Promise<StoreProfile> {
		return (await this.#call('profile', z.object({ profile: profileSchema }))).profile;
	}

	saveProfile(profile: StoreProfile) {
		return this.#call('profile', z.object({ profile: profileSchema }), 'PUT', profile);
	}

	rotatePairingCode() {
		return this.#call(
			'pairing-code',
			z.object({ code: z.string(), overridden: z.boolean() }),
			'POST',
			{}
		);
	}

	async audit(kind: string | null): Promise<AuditEntryView[]> {
		const query = kind ? `?kind=${encodeURIComponent(kind)}` : '';
		const schema = z.object({ entries: z.array(auditEntrySchema) });
		return (await this.#call(`audit${query}`, schema)).entries;
	}

	/** The audit log as a file (`csv` or `json`), fetched with the manager's credentials. */
	async auditFile(format: 'csv' | 'json', kind: string | null): Promise<Blob> {
		const params = new URLSearchParams({ format, limit: '10000' });
		if (kind) params.set('kind', kind);
		const { deviceToken, staffSession } = this.#credentials();
		const headers: Record<string, string> = {};
		if (deviceToken) headers.authorization = `Bearer ${deviceToken}`;
		if (staffSession) headers['x-staff-session'] = staffSession;
		const response = await fetch(`/api/backoffice/audit?${params}`, { headers });
		if (!response.ok) {
			throw new ApiError(response.status, `http_${response.status}`, 'The export was refused.');
		}
		return response.blob();
	}
}

/** Saves `blob` as a download called `name`. */
export function saveFile(blob: Blob, name: string): void {
	const link = document.createElement('a');
	link.href = URL.createObjectURL(blob);
	link.download = name;
	link.click();
	setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
