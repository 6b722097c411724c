/**
 * The POS server's relay for CodePay LAN terminals (NOTES.md §1 "Mixed content"), as both ends see
 * it. A page on https cannot open `ws://` to the terminal, so it opens
 * `wss://<page host>/api/terminals/relay?terminal=<id>` and the server forwards every frame,
 * unchanged, to the `ws://host:port` it has configured for that terminal id.
 *
 * Browsers cannot set headers on a WebSocket, so the device token travels as a subprotocol:
 * `new WebSocket(url, relayProtocols(token))`. The server answers with `pos-relay` only; the token
 * is never echoed.
 */

export const RELAY_PATH = '/api/terminals/relay';
/** The subprotocol the server selects. */
export const RELAY_PROTOCOL = 'pos-relay';
/** Prefix of the subprotocol that carries the device token (already base64url text). */
export const RELAY_TOKEN_PREFIX = 'token.';

/** Close codes the relay sends to the browser (4000–4999 are the application's own). */
export const RELAY_CLOSE = {
	/** Missing or unknown device token: pair this device again. */
	unauthorised: 4401,
	/** The server has no CodePay LAN terminal with this id. */
	unknownTerminal: 4404,
	/** Idle for too long. */
	idle: 4408,
	/** The relay has too many connections, or the server is not ready. */
	unavailable: 4503,
	/** The terminal refused, did not answer, or dropped the connection. */
	terminalUnreachable: 4502
} as const;

/** Subprotocols for `new WebSocket(relayUrl, protocols)`; the token is a base64url device token. */
export function relayProtocols(deviceToken: string): string[] {
	return [RELAY_PROTOCOL, `${RELAY_TOKEN_PREFIX}${deviceToken}`];
}

/** What a cashier should read when the relay closes with `code`; undefined for other codes. */
export function relayCloseMessage(code: number | undefined): string | undefined {
	switch (code) {
		case RELAY_CLOSE.unauthorised:
			return 'The POS server did not accept this device for the terminal relay. Pair this device again.';
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
