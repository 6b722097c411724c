/**
 * Direct `ws://terminal:35779` or a relay through the POS server (NOTES.md §1 "Mixed content"):
 * an https page may not open `ws://` to a LAN address and the terminal has no `wss`, so such a
 * page goes through `wss://<page host>/api/terminals/relay`, which the server forwards. The relay
 * wants the device token as a subprotocol (`relay-protocol.ts`): pass `relayToken` to the driver.
 */

export const DEFAULT_PORT = 35779;

export interface ConnectionTarget {
	terminalId: string;
	host: string;
	port?: number;
	/** An explicit relay address (Settings). Without one, the POS server's relay route is used. */
	relayUrl?: string;
}

export interface ConnectionMode {
	mode: 'direct' | 'relay';
	url: string;
	why: string;
}

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

/** `pageUrl` is `location.href` in the browser; `undefined` (Node, tests) means direct. */
export function connectionMode(
	pageUrl: string | URL | undefined,
	target: ConnectionTarget
): ConnectionMode {
	const direct = directUrl(target.host, target.port);
	const page = pageUrl === undefined ? undefined : new URL(pageUrl);
	if (!page || page.protocol !== 'https:') {
		return {
			mode: 'direct',
			url: direct,
			why: page
				? `This page is served over ${page.protocol.replace(':', '')}, so it can open ws:// to the terminal directly.`
				: 'Not running in a web page, so the terminal is reached directly.'
		};
	}
	if (isLoopback(target.host)) {
		return {
			mode: 'direct',
			url: direct,
			why: 'The terminal address is this computer (loopback), which browsers allow from https pages.'
		};
	}
	return {
		mode: 'relay',
		url: target.relayUrl || defaultRelayUrl(page, target.terminalId),
		why: `This page is served over https, and browsers block ws:// to ${target.host} from it (mixed content); the connection goes through the POS server's relay.`
	};
}
