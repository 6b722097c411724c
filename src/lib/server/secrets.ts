/**
 * The session secret. A configured one (`POS_SESSION_SECRET`, or `sessionSecret` in the config
 * file) wins. Otherwise one is generated at first start and kept in the store's own database
 * (`server_secrets`), created there atomically: every instance on one PostgreSQL signs and checks
 * with the same secret, a restart keeps staff signed in, and it is not a file on a path another
 * server (say, one with a sibling data directory) could share or someone could plant in advance.
 * The database is also the one thing each instance must already be able to read and no tablet can.
 * It is never logged.
 */
import { randomBytes } from 'node:crypto';

/** Keeps a fresh secret unless one is kept already, and answers the kept one. */
export type SecretKeeper = (fresh: string) => Promise<string>;

export async function resolveSessionSecret(options: {
	configured?: string;
	/** null: nothing keeps it (tests); a fresh secret lives as long as the process. */
	keep: SecretKeeper | null;
}): Promise<string> {
	if (options.configured) return options.configured;
	const fresh = randomBytes(32).toString('base64url');
	return options.keep ? options.keep(fresh) : fresh;
}
