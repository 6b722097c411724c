/**
 * The server's configuration: a JSON file (path from `POS_CONFIG`) validated with zod, with the
 * secrets optionally overridden from the environment. Pure apart from reading files; the caller
 * passes the environment in.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod/mini';
import { offlineLimitsSchema, type OfflineLimits } from '$lib/orders/offline-limits';
import { terminalConfigSchema } from '$lib/terminals/config';
import type { TerminalConfig } from '$lib/terminals/driver';
import { PIN_HASH_PATTERN } from './auth/pin';
import { resolveSessionSecret, type SecretKeeper } from './secrets';

export { hashPin, verifyPin } from './auth/pin';

export const DEFAULT_CONFIG_PATH = 'config/pos.demo.json';

/** Terminal params travel to every paired tablet; anything secret belongs in `secrets`. */
export const SECRET_LOOKING_KEY = /secret|password|passwd|private/i;

const staffSchema = z.object({
	id: z.string().check(z.minLength(1)).check(z.maxLength(64)),
	name: z.string().check(z.minLength(1)).check(z.maxLength(80)),
	role: z.enum(['cashier', 'manager', 'owner']),
	pinHash: z.string().check(z.regex(PIN_HASH_PATTERN, 'pinHash must look like scrypt$N$salt$hash'))
});
export type StaffConfig = z.infer<typeof staffSchema>;

const serverTerminalSchema = z.intersection(
	terminalConfigSchema,
	z.object({
		/** Credentials the server uses for this terminal's cloud rail; never sent to a tablet. */
		secrets: z.optional(z.record(z.string(), z.string()))
	})
);

export const configFileSchema = z
	.object({
		storeName: z.string().check(z.minLength(1)).check(z.maxLength(80)),
		currency: z
			.string()
			.check(z.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as USD')),
		/** Start of every device's prefix for merchant order numbers; the device number follows. */
		devicePrefix: z.optional(
			z
				.string()
				.check(z.regex(/^[A-Za-z0-9]{1,6}$/, 'devicePrefix must be 1 to 6 letters or digits'))
		),
		pairingCode: z.string().check(z.minLength(4)).check(z.maxLength(64)),
		sessionSecret: z.optional(z.string().check(z.minLength(16))),
		/** Marks the shipped demo configuration (known PINs and pairing code). */
		demo: z._default(z.boolean(), false),
		staff: z.array(staffSchema).check(z.minLength(1)),
		terminals: z._default(z.array(serverTerminalSchema), []),
		/** Card money a till may take while it cannot reach this server (minor units; issue 14). */
		offlineLimits: z.optional(offlineLimitsSchema),
		/**
		 * What a first start writes into the empty catalog (issue 13): `"demo"` for the demo's, or
		 * the path of a catalog CSV (README, "Catalog CSV"). Demo mode seeds the demo's without it.
		 * Read once: afterwards the database is the catalog.
		 */
		catalogSeed: z.optional(z.string().check(z.minLength(1)).check(z.maxLength(500))),
		tax: z.optional(
			z.object({
				/** Default rate in basis points (825 = 8.25 %). */
				defaultRateBp: z.int().check(z.gte(0)).check(z.lte(10_000)),
				inclusive: z._default(z.boolean(), false)
			})
		)
	})
	.check(
		z.superRefine((config, ctx) => {
			const duplicate = (ids: string[]) => ids.find((id, i) => ids.indexOf(id) !== i);
			const staffId = duplicate(config.staff.map((s) => s.id));
			if (staffId)
				ctx.addIssue({ code: 'custom', path: ['staff'], message: `duplicate id ${staffId}` });
			const terminalId = duplicate(config.terminals.map((t) => t.id));
			if (terminalId) {
				ctx.addIssue({
					code: 'custom',
					path: ['terminals'],
					message: `duplicate id ${terminalId}`
				});
			}
			config.terminals.forEach((terminal, i) => {
				// IOT Pay's create_order needs the PAX's login name and names the device (issue 12).
				if (terminal.rail === 'iotpay-pax') {
					for (const param of ['deviceName', 'jobNo']) {
						const value = terminal.params[param];
						if (typeof value !== 'string' || value.trim() === '') {
							ctx.addIssue({
								code: 'custom',
								path: ['terminals', i, 'params', param],
								message: `an IOT Pay terminal needs "${param}" (${param === 'jobNo' ? "the terminal's login name" : 'the device name'})`
							});
						}
					}
				}
				for (const key of Object.keys(terminal.params)) {
					if (SECRET_LOOKING_KEY.test(key)) {
						ctx.addIssue({
							code: 'custom',
							path: ['terminals', i, 'params', key],
							message: 'looks like a secret: put it under the terminal\'s "secrets", not "params"'
						});
					}
				}
			});
		})
	);
export type ConfigFile = z.infer<typeof configFileSchema>;

/** The configuration with every secret resolved. */
export interface PosConfig {
	storeName: string;
	currency: string;
	devicePrefix: string;
	pairingCode: string;
	sessionSecret: string;
	demo: boolean;
	/**
	 * sha256 of the code that pairs the first till when it comes from the database (issue 13);
	 * `pairingCode`, when not empty (POS_PAIRING_CODE, a test's config), wins.
	 */
	pairingCodeHash?: string | null;
	/** Only the active staff: a disabled member cannot sign in, and their session ends at once. */
	staff: StaffConfig[];
	terminals: (TerminalConfig & { secrets?: Record<string, string> })[];
	tax?: ConfigFile['tax'];
	catalogSeed?: string;
	offlineLimits?: OfflineLimits;
}

export class ConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConfigError';
	}
}

/** Validates a parsed config file; the error lists every problem with its path. */
export function parseConfigFile(json: unknown, source = 'config'): ConfigFile {
	const parsed = configFileSchema.safeParse(json);
	if (parsed.success) return parsed.data;
	const problems = parsed.error.issues.map(
		(i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`
	);
	throw new ConfigError(`Invalid ${source}:\n${problems.join('\n')}`);
}

export interface LoadConfigOptions {
	env: Record<string, string | undefined>;
	/** Keeps a generated session secret (the store); null keeps it in memory only (tests). */
	keepSecret: SecretKeeper | null;
}

/**
 * The optional seed (issue 13): the file `POS_CONFIG` names, validated, or null when it names none.
 * It is imported once into an empty database; from then on the database is the source of truth.
 */
export async function loadSeed(
	env: Record<string, string | undefined>
): Promise<{ path: string; file: ConfigFile } | null> {
	const path = env.POS_CONFIG;
	if (!path) return null;
	return { path, file: parseConfigFile(await readJsonFile(path), path) };
}

async function readJsonFile(path: string): Promise<unknown> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		throw new ConfigError(`Cannot read the POS config file ${path}: ${(error as Error).message}`);
	}
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new ConfigError(`The POS config file ${path} is not JSON: ${(error as Error).message}`);
	}
}

export async function loadConfig({ env, keepSecret }: LoadConfigOptions): Promise<PosConfig> {
	const path = env.POS_CONFIG || DEFAULT_CONFIG_PATH;
	return resolveConfig(parseConfigFile(await readJsonFile(path), path), { env, keepSecret });
}

/** Applies the environment's secrets over the file's. */
export async function resolveConfig(
	file: ConfigFile,
	{ env, keepSecret }: LoadConfigOptions
): Promise<PosConfig> {
	const pairingCode = env.POS_PAIRING_CODE || file.pairingCode;
	if (pairingCode.length < 4)
		throw new ConfigError('POS_PAIRING_CODE must be at least 4 characters.');
	const envSecret = env.POS_SESSION_SECRET;
	if (envSecret !== undefined && envSecret !== '' && envSecret.length < 16) {
		throw new ConfigError('POS_SESSION_SECRET must be at least 16 characters.');
	}
	const sessionSecret = await resolveSessionSecret({
		configured: envSecret || file.sessionSecret,
		keep: keepSecret
	});
	return {
		storeName: file.storeName,
		currency: file.currency,
		devicePrefix: file.devicePrefix ?? 'POS',
		pairingCode,
		sessionSecret,
		demo: file.demo,
		staff: file.staff,
		terminals: file.terminals,
		tax: file.tax,
		catalogSeed: file.catalogSeed,
		offlineLimits: file.offlineLimits
	};
}

/** Terminals as a tablet may see them: marked provisioned, without their secrets. */
export function publicTerminals(config: PosConfig): TerminalConfig[] {
	return config.terminals.map(({ id, name, rail, currency, params }) => ({
		id,
		name,
		rail,
		currency,
		params: { ...params },
		provisioned: true
	}));
}
