/**
 * Staff session tokens: `v1.<payload>.<signature>`, where the payload is base64url JSON
 * `{ staffId, deviceId, exp }` and the signature its HMAC-SHA256 under the server's session secret.
 * Stateless, so a restart (with the same secret) keeps everyone signed in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { decodeBase64url } from './base64url';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const VERSION = 'v1';

const payloadSchema = z.object({
	staffId: z.string().min(1),
	deviceId: z.string().min(1),
	exp: z.int().positive()
});
export type SessionPayload = z.infer<typeof payloadSchema>;

export type SessionCheck =
	| { ok: true; payload: SessionPayload }
	| { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

function sign(body: string, secret: string): Buffer {
	return createHmac('sha256', secret).update(`${VERSION}.${body}`, 'utf8').digest();
}

export function signSession(payload: SessionPayload, secret: string): string {
	const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
	return `${VERSION}.${body}.${sign(body, secret).toString('base64url')}`;
}

export function verifySession(token: string, secret: string, now: number): SessionCheck {
	const parts = token.split('.');
	if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
	const body = parts[1] ?? '';
	// One spelling per token: another encoding of the same bytes is not the same token.
	const bodyBytes = decodeBase64url(body);
	const given = decodeBase64url(parts[2] ?? '');
	if (!bodyBytes || !given) return { ok: false, reason: 'malformed' };
	const expected = sign(body, secret);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return { ok: false, reason: 'bad_signature' };
	}
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bodyBytes));
	} catch {
		return { ok: false, reason: 'malformed' };
	}
	const parsed = payloadSchema.safeParse(json);
	if (!parsed.success) return { ok: false, reason: 'malformed' };
	if (parsed.data.exp <= now) return { ok: false, reason: 'expired' };
	return { ok: true, payload: parsed.data };
}
