/**
 * The POS server's relay for CodePay LAN terminals (NOTES.md §1 "Mixed content and Local Network
 * Access"), as both ends see it. A page on https may open `ws://` to the terminal only where the
 * browser's Local Network Access allows it (Chrome and Edge; `connection-path.ts`); elsewhere
 * (Safari, Firefox, Android WebView, the permission refused) it opens
 * `wss://<page host>/api/terminals/relay?terminal=<id>` and the server forwards the frames to the
 * `ws://host:port` it has configured for that terminal id.
 *
 * Browsers cannot set headers on a WebSocket, so the device token and the staff session travel as
 * subprotocols: `new WebSocket(url, relayProtocols(token, session))`. Both are made of RFC 7230
 * token characters only (base64url and dots), which is what a subprotocol may hold (RFC 6455
 * §4.1). The server answers with `pos-relay` only; neither credential is ever echoed.
 *
 * The relay reads every frame the page sends. One it will not forward (unreadable, or a refund
 * without a manager's approval on the server) never reaches the terminal: the relay answers it
 * with a refusal frame (`RELAY_REFUSAL_TOPIC`) naming its `request_id`, so the till knows for
 * certain that it was not sent.
 */
import { z } from 'zod/mini';

export const RELAY_PATH = '/api/terminals/relay';
/** The subprotocol the server selects. */
export const RELAY_PROTOCOL = 'pos-relay';
/** Prefix of the subprotocol that carries the device token (already base64url text). */
export const RELAY_TOKEN_PREFIX = 'token.';
/** Prefix of the subprotocol that carries the staff session (`v1.<base64url>.<base64url>`). */
export const RELAY_SESSION_PREFIX = 'session.';

/** Close codes the relay sends to the browser (4000–4999 are the application's own). */
export const RELAY_CLOSE = {
	/** Missing or unknown device token: pair this device again. */
	unauthorised: 4401,
	/** No valid staff session for this device (missing, expired, another till's, staff removed). */
	signInAgain: 4403,
	/** The server has no CodePay LAN terminal with this id. */
	unknownTerminal: 4404,
	/** Idle for too long. */
	idle: 4408,
	/** The relay has too many connections (in all, or from this device), or the server is not ready. */
	unavailable: 4503,
	/** The terminal refused, did not answer, or dropped the connection. */
	terminalUnreachable: 4502
} as const;

/** Subprotocols for `new WebSocket(relayUrl, protocols)`. */
export function relayProtocols(deviceToken: string, staffSession?: string | null): string[] {
	const protocols = [RELAY_PROTOCOL, `${RELAY_TOKEN_PREFIX}${deviceToken}`];
	if (staffSession) protocols.push(`${RELAY_SESSION_PREFIX}${staffSession}`);
	return protocols;
}

/** What a cashier should read when the relay closes with `code`; undefined for other codes. */
export function relayCloseMessage(code: number | undefined): string | undefined {
	switch (code) {
		case RELAY_CLOSE.unauthorised:
			return 'The POS server did not accept this device for the terminal relay. Pair this device again.';
		case RELAY_CLOSE.signInAgain:
			return 'Sign in again: the POS server relays to the terminal only for a staff member signed in on this till.';
		case RELAY_CLOSE.unknownTerminal:
			return 'The POS server has no CodePay LAN terminal with this id. Ask the manager to add it to the server configuration.';
		case RELAY_CLOSE.idle:
			return 'The relay closed an idle connection.';
		case RELAY_CLOSE.unavailable:
			return 'The POS server relay is busy or not ready. Try again shortly.';
		case RELAY_CLOSE.terminalUnreachable:
			return 'The POS server could not reach the terminal. Check that CodePay Register is open and in LAN mode.';
		case 1009:
			return 'A message was too large for the relay.';
		default:
			return undefined;
	}
}

/** The topic of the relay's answer to a frame it did not forward. Never a CodePay topic. */
export const RELAY_REFUSAL_TOPIC = 'pos.relay.refused';

export const RELAY_REFUSAL_REASONS = [
	/** Not a CodePay request the relay can read. */
	'unreadable',
	/** A refund, void, release or batch close with no matching manager approval on the server. */
	'approval_required',
	/** The server requires `required_terminal_authentication` on this terminal's reversals. */
	'terminal_auth_required',
	/** The staff session ran out or is no longer valid. */
	'sign_in'
] as const;
export type RelayRefusalReason = (typeof RELAY_REFUSAL_REASONS)[number];

export const relayRefusalSchema = z.object({
	topic: z.literal(RELAY_REFUSAL_TOPIC),
	/** The refused request's id, when the frame had a readable one. */
	request_id: z.optional(z.string().check(z.minLength(1)).check(z.maxLength(128))),
	reason: z.enum(RELAY_REFUSAL_REASONS),
	message: z.string().check(z.maxLength(500))
});
export type RelayRefusal = z.infer<typeof relayRefusalSchema>;

/** The refusal frame as text. */
export function relayRefusalFrame(refusal: Omit<RelayRefusal, 'topic'>): string {
	return JSON.stringify({ topic: RELAY_REFUSAL_TOPIC, ...refusal });
}

/** The relay's refusal in a frame, or null for any other frame. */
export function parseRelayRefusal(data: unknown): RelayRefusal | null {
	if (typeof data !== 'string' || !data.includes(RELAY_REFUSAL_TOPIC)) return null;
	let json: unknown;
	try {
		json = JSON.parse(data);
	} catch {
		return null;
	}
	const parsed = relayRefusalSchema.safeParse(json);
	return parsed.success ? parsed.data : null;
}
