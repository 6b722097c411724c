import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signSession, verifySession } from './session-token';

const secret = 'a-test-secret-of-enough-length';
const payload = { staffId: 'casey', deviceId: 'dev-1', exp: 2_000 };

describe('session tokens', () => {
	it('round-trips before expiry', () => {
		const token = signSession(payload, secret);
		expect(verifySession(token, secret, 1_999)).toEqual({ ok: true, payload });
	});

	it('expires at exp', () => {
		const token = signSession(payload, secret);
		expect(verifySession(token, secret, 2_000)).toEqual({ ok: false, reason: 'expired' });
	});

	it('rejects a token signed with another secret', () => {
		const token = signSession(payload, 'another-secret-of-enough-length');
		expect(verifySession(token, secret, 0)).toEqual({ ok: false, reason: 'bad_signature' });
	});

	it('rejects a tampered payload', () => {
		const [version, , signature] = signSession(payload, secret).split('.');
		const forged = Buffer.from(JSON.stringify({ ...payload, staffId: 'morgan' })).toString(
			'base64url'
		);
		expect(verifySession(`${version}.${forged}.${signature}`, secret, 0)).toEqual({
			ok: false,
			reason: 'bad_signature'
		});
	});

	it('rejects a tampered signature and garbage', () => {
		const token = signSession(payload, secret);
		const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
		expect(verifySession(flipped, secret, 0).ok).toBe(false);
		expect(verifySession('', secret, 0)).toEqual({ ok: false, reason: 'malformed' });
		expect(verifySession('v2.a.b', secret, 0)).toEqual({ ok: false, reason: 'malformed' });
	});

	it('rejects a correctly signed body that is not a session', () => {
		// Someone with the secret could sign anything; the payload is still checked.
		const body = Buffer.from(JSON.stringify({ staffId: 'x' })).toString('base64url');
		const sig = createHmac('sha256', secret).update(`v1.${body}`).digest('base64url');
		expect(verifySession(`v1.${body}.${sig}`, secret, 0)).toEqual({
			ok: false,
			reason: 'malformed'
		});
	});

	it('accepts one spelling of a token only, not other encodings of the same bytes', () => {
		const token = signSession(payload, secret);
		const [version, body, signature] = token.split('.') as [string, string, string];
		const std = (text: string) => Buffer.from(text, 'base64url').toString('base64');
		// The signature's last character carries two unused bits, zero when canonical: set one.
		const sibling = String.fromCharCode(signature.charCodeAt(signature.length - 1) + 1);
		for (const variant of [
			`${version}.${body}.${signature}=`,
			`${version}.${body}.${std(signature)}`,
			`${version}.${std(body)}.${signature}`,
			`${version}.${body}=.${signature}`,
			`${version}.${body}.${signature.slice(0, -1)}${sibling}`
		]) {
			if (variant === token) continue;
			expect(verifySession(variant, secret, 0), variant).toMatchObject({ ok: false });
		}
		expect(verifySession(token, secret, 0).ok).toBe(true);
	});
});
