/**
 * The two addresses of a CodePay LAN terminal: `ws://terminal:35779` itself, and the POS server's
 * relay to it (`wss://<page host>/api/terminals/relay`, which wants the device token as a
 * subprotocol, `relay-protocol.ts`). `connection-path.ts` decides which one a page uses.
 */

export const DEFAULT_PORT = 35779;

/** Loopback targets are "potentially trustworthy": browsers allow `ws://` to them from https. */
export function isLoopback(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, '').toLowerCase();
	return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\./.test(h);
}

export function directUrl(host: string, port: number = DEFAULT_PORT): string {
	const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
	return `ws://${h}:${port}`;
}

export function defaultRelayUrl(pageUrl: URL, terminalId: string): string {
	return `wss://${pageUrl.host}/api/terminals/relay?terminal=${encodeURIComponent(terminalId)}`;
}
