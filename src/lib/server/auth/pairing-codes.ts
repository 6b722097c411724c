/**
 * Pairing codes. A manager signed in on a paired till issues a one-time code for the next till:
 * 8 random digits, valid `PAIRING_CODE_TTL_MS`, kept only as a hash and used once. The code in the
 * configuration (`pairingCode`, `POS_PAIRING_CODE`) pairs the first till only, once per value (the
 * use is recorded in the store, so every instance knows); in demo mode it pairs any number of tills,
 * as the README and the end-to-end tests expect.
 */
import { randomInt } from 'node:crypto';
import type { Runtime } from '../runtime';
import { hashToken, secretsEqual } from './tokens';

export const PAIRING_CODE_TTL_MS = 10 * 60_000;
const DIGITS = 8;
export const ISSUED_CODE_PATTERN = /^\d{8}$/;

/** How a till got paired, for the audit log. */
export type PairedWith = 'issued_code' | 'bootstrap_code' | 'demo_code';

export async function issuePairingCode(
	rt: Runtime,
	issuer: { deviceId: string; staffId: string }
): Promise<{ code: string; expiresAt: number }> {
	const createdAt = rt.now();
	const expiresAt = createdAt + PAIRING_CODE_TTL_MS;
	// A clash with a code still kept is one in 10^8; draw again rather than refuse.
	for (let tries = 0; tries < 5; tries++) {
		const code = String(randomInt(0, 10 ** DIGITS)).padStart(DIGITS, '0');
		const added = await rt.store.addPairingCode({
			codeHash: hashToken(code),
			issuedBy: issuer.staffId,
			deviceId: issuer.deviceId,
			createdAt,
			expiresAt
		});
		if (!added) continue;
		await rt.store.recordAudit({
			at: createdAt,
			kind: 'pairing_code_issued',
			deviceId: issuer.deviceId,
			staffId: issuer.staffId,
			detail: { expiresAt }
		});
		return { code, expiresAt };
	}
	throw new Error('No free pairing code could be drawn.');
}

/**
 * What the database keeps of the code that pairs the first till (issue 13): set at setup or from
 * the seed, rotatable in the back office. Hashed apart from issued codes.
 */
export const pairingCodeHash = (code: string) => hashToken(`pairing:${code}`);

/** POS_PAIRING_CODE (or a fixed test config's code) wins over the stored hash. */
function firstTillCodeMatches(rt: Runtime, code: string): boolean {
	if (rt.config.pairingCode) return secretsEqual(code, rt.config.pairingCode);
	const hash = rt.config.pairingCodeHash;
	return hash ? secretsEqual(pairingCodeHash(code), hash) : false;
}

/** Uses `code` if it pairs a till now; null when it is wrong, used or expired. */
export async function usePairingCode(rt: Runtime, code: string): Promise<PairedWith | null> {
	const now = rt.now();
	if (ISSUED_CODE_PATTERN.test(code) && (await rt.store.usePairingCode(hashToken(code), now))) {
		return 'issued_code';
	}
	if (!firstTillCodeMatches(rt, code)) return null;
	if (rt.config.demo) return 'demo_code';
	// Hashed apart from issued codes, so the configured value can never pass for one.
	const used = await rt.store.useBootstrapCode(hashToken(`bootstrap:${code}`), now);
	return used ? 'bootstrap_code' : null;
}
