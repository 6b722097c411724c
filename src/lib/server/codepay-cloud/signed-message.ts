/**
 * Building a signed request body and believing a signed message (a gateway response or a
 * notification): the two halves of NOTES.md §2 that touch the wire. Pure apart from the crypto.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalOfTexts, canonicalString, toWireFields, type WireValue } from './canonical';
import { COMMON_FIELDS } from './methods';
import { rawTopLevelFields } from './raw-fields';
import { signRsa2, signRsa2Async, verifyRsa2 } from './rsa2';
import { wireTimestamp } from './timestamp';

export interface Signer {
	appId: string;
	privateKey: KeyObject;
}

/** The JSON body of a call: common fields, `app_id`, `method`, `timestamp`, the call's fields, `sign`. */
export function signedRequestBody(
	signer: Signer,
	method: string,
	fields: Readonly<Record<string, unknown>>,
	nowMs: number
): { body: string; fields: Record<string, WireValue> } {
	const wire = unsignedRequest(signer, method, fields, nowMs);
	return withSign(wire, signRsa2(canonicalString(wire), signer.privateKey));
}

/** `signedRequestBody` with the signature computed off the event loop (the gateway client's). */
export async function signedRequestBodyAsync(
	signer: Signer,
	method: string,
	fields: Readonly<Record<string, unknown>>,
	nowMs: number
): Promise<{ body: string; fields: Record<string, WireValue> }> {
	const wire = unsignedRequest(signer, method, fields, nowMs);
	return withSign(wire, await signRsa2Async(canonicalString(wire), signer.privateKey));
}

function unsignedRequest(
	signer: Signer,
	method: string,
	fields: Readonly<Record<string, unknown>>,
	nowMs: number
): Record<string, WireValue> {
	return {
		...COMMON_FIELDS,
		app_id: signer.appId,
		method,
		timestamp: wireTimestamp(nowMs),
		...toWireFields(fields)
	};
}

function withSign(wire: Record<string, WireValue>, sign: string) {
	const signed = { ...wire, sign };
	return { body: JSON.stringify(signed), fields: signed };
}

export type Believed =
	| { ok: true; value: Record<string, unknown> }
	| { ok: false; reason: 'not_json' | 'unsigned' | 'bad_signature' };

/**
 * Parses a message and checks its `sign` over the canonical string of its top-level fields as
 * they were sent (`data` as its JSON text). A missing signature is a failure (NOTES.md §2: one
 * official SDK wrongly accepts it).
 */
export function believeSigned(text: string, publicKey: KeyObject): Believed {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return { ok: false, reason: 'not_json' };
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return { ok: false, reason: 'not_json' };
	}
	const record = value as Record<string, unknown>;
	if (typeof record.sign !== 'string' || record.sign === '')
		return { ok: false, reason: 'unsigned' };
	const raw = rawTopLevelFields(text);
	if (raw === null) return { ok: false, reason: 'not_json' };
	if (verifyRsa2(canonicalOfTexts(raw), record.sign, publicKey)) return { ok: true, value: record };
	// A signer that serialised `data` compactly while the body is pretty-printed signed this text.
	const compact = canonicalString(toWireFields(record));
	if (verifyRsa2(compact, record.sign, publicKey)) return { ok: true, value: record };
	return { ok: false, reason: 'bad_signature' };
}

/** Fields of a form-encoded notification, signed over exactly the values that arrived. */
export function believeSignedForm(fields: Record<string, string>, publicKey: KeyObject): Believed {
	const sign = fields.sign;
	if (!sign) return { ok: false, reason: 'unsigned' };
	return verifyRsa2(canonicalOfTexts(fields), sign, publicKey)
		? { ok: true, value: fields }
		: { ok: false, reason: 'bad_signature' };
}
