/**
 * Direct `ws://terminal:35779` or the POS server's relay (NOTES.md §1 "Mixed content and Local
 * Network Access"), decided from what the page can know: its URL, the terminal's address, and
 * the state of the browser's Local Network Access permission (`local-network-access.ts` reads it).
 *
 * Chrome and Edge let an https page open `ws://` to a private address once Local Network Access
 * allows it: at once from a page whose own server is on a private address, after the permission
 * is granted from a page on a public one. Safari, Firefox and Android WebView have no such
 * permission and block it as mixed content, so there the page goes through the relay
 * (`wss://<page host>/api/terminals/relay`, `relay-protocol.ts`).
 */
import { addressSpace } from './address-space';
import { DEFAULT_PORT, defaultRelayUrl, directUrl, isLoopback } from './url';

export interface ConnectionTarget {
	terminalId: string;
	host: string;
	port?: number;
	/** An explicit relay address (Settings). Without one, the POS server's relay route is used. */
	relayUrl?: string;
	/**
	 * The server's configuration wants this terminal reached only through its relay, which vets
	 * every refund and void (README "Security"), even where the browser would allow direct.
	 */
	relayOnly?: boolean;
}

/**
 * The Local Network Access permission (`navigator.permissions.query({ name:
 * 'local-network-access' })`), or `unsupported` where the browser has none.
 */
export type LocalNetworkPermission = 'granted' | 'prompt' | 'denied' | 'unsupported';

export interface LocalNetworkAccess {
	permission: LocalNetworkPermission;
	/**
	 * A direct socket from this page opened while the permission was still "prompt": the page's
	 * server is on the shop's network under a name (`https://pos.shop.lan`), which Chrome allows
	 * without asking.
	 */
	directWorked?: boolean;
}

export type PathReason =
	| 'not_https'
	| 'no_page'
	| 'loopback'
	| 'relay_configured'
	| 'relay_only'
	| 'no_local_network_access'
	| 'not_private_target'
	| 'denied'
	| 'granted'
	| 'private_page'
	| 'direct_worked'
	| 'ask';

export interface ConnectionMode {
	mode: 'direct' | 'relay';
	url: string;
	why: string;
	reason: PathReason;
	/** A tap may ask the browser for Local Network Access (the page then connects directly). */
	canAsk: boolean;
}

/** The enterprise policy that pre-allows a site on managed Chrome tablets. */
export const LNA_POLICY = 'LocalNetworkAccessAllowedForUrls';

const UNSUPPORTED: LocalNetworkAccess = { permission: 'unsupported' };

/** `pageUrl` is `location.href` in the browser; `undefined` (Node, tests) means direct. */
export function connectionMode(
	pageUrl: string | URL | undefined,
	target: ConnectionTarget,
	access: LocalNetworkAccess = UNSUPPORTED
): ConnectionMode {
	const port = target.port ?? DEFAULT_PORT;
	const page = pageUrl === undefined ? undefined : new URL(pageUrl);
	const direct = (reason: PathReason, why: string): ConnectionMode => ({
		mode: 'direct',
		url: directUrl(target.host, port),
		why,
		reason,
		canAsk: false
	});
	if (!page)
		return direct('no_page', 'Not running in a web page, so the terminal is reached directly.');
	if (page.protocol !== 'https:') {
		return direct(
			'not_https',
			`This page is served over ${page.protocol.replace(':', '')}, so it can open ws:// to the terminal directly.`
		);
	}
	if (isLoopback(target.host)) {
		return direct(
			'loopback',
			'The terminal address is this computer (loopback), which browsers allow from https pages.'
		);
	}
	const relay = (reason: PathReason, why: string, canAsk = false): ConnectionMode => ({
		mode: 'relay',
		url: target.relayUrl || defaultRelayUrl(page, target.terminalId),
		why,
		reason,
		canAsk
	});
	if (target.relayUrl) {
		return relay('relay_configured', 'The terminal settings name a relay address.');
	}
	if (target.relayOnly) {
		return relay(
			'relay_only',
			"The POS server's configuration has this terminal reached only through the server, which checks every refund and void."
		);
	}
	if (access.permission === 'unsupported') {
		return relay(
			'no_local_network_access',
			`This page is served over https and this browser has no Local Network Access permission (Safari, Firefox and Android WebView block ws:// to ${target.host} from it as mixed content; Chrome and Edge can connect directly).`
		);
	}
	if (addressSpace(target.host) !== 'local') {
		return relay(
			'not_private_target',
			`${target.host} is not a private IP address, so the browser does not let this https page open ws:// to it: enter the IP address shown on the terminal to connect directly.`
		);
	}
	if (access.permission === 'denied') {
		return relay(
			'denied',
			`Local Network Access is blocked for this site. To connect directly, allow "Local network access" in the site's settings (the lock icon beside the address), or on managed tablets pre-allow the site with the Chrome policy ${LNA_POLICY}.`
		);
	}
	if (access.permission === 'granted') {
		return direct(
			'granted',
			`Local Network Access is allowed for this site, so the browser opens ws:// to ${target.host} from this https page.`
		);
	}
	const pageSpace = addressSpace(page.hostname);
	if (pageSpace === 'loopback' || pageSpace === 'local') {
		return direct(
			'private_page',
			'This page comes from a server on a private address (the shop network), so the browser opens ws:// to the terminal without asking.'
		);
	}
	if (access.directWorked) {
		return direct(
			'direct_worked',
			"A direct connection from this page opened without asking before: this page's server is on the shop network."
		);
	}
	return relay(
		'ask',
		`The browser asks before a page on ${page.hostname} reaches the shop network. Until it is allowed, the till goes through the POS server: tap "Connect directly" and allow it, or on managed tablets pre-allow the site with the Chrome policy ${LNA_POLICY}.`,
		true
	);
}
