// Security headers of every response the POS sends (issue 8 §5). Plain JavaScript, because the
// production entry (`server/index.js`) is not bundled: it sets these on everything, static files
// included, and `src/hooks.server.ts` sets them on what SvelteKit answers, under any entry (dev,
// preview, tests). The pages' Content-Security-Policy is SvelteKit's own (`kit.csp` in
// `svelte.config.js`, which hashes its inline start-up script); API responses get `API_CSP`.

/** @type {Readonly<Record<string, string>>} */
export const SECURITY_HEADERS = Object.freeze({
	// No page may frame the till (clickjacking a "Refund" or a PIN pad). CSP's frame-ancestors
	// says the same to current browsers; this is for the others.
	'x-frame-options': 'DENY',
	'x-content-type-options': 'nosniff',
	// URLs name orders and terminals; no other site needs to see them.
	'referrer-policy': 'no-referrer',
	// A popup the till opens cannot reach back into it, nor it into the popup.
	'cross-origin-opener-policy': 'same-origin',
	// What the till uses: Web Serial (Haojin USB terminals) and the local network (CodePay LAN
	// terminals, loopback simulators; Chrome asks for these as "local network access"). Everything
	// else a page could ask for is off. Only names Chromium knows: others only print warnings.
	'permissions-policy': [
		'serial=(self)',
		'local-network-access=(self)',
		'local-network=(self)',
		'loopback-network=(self)',
		'camera=()',
		'microphone=()',
		'geolocation=()',
		'payment=()',
		// WebUSB: ESC/POS receipt printers (issue 14).
		'usb=(self)',
		'hid=()',
		'midi=()',
		'display-capture=()',
		'screen-wake-lock=()',
		'idle-detection=()',
		'xr-spatial-tracking=()',
		'accelerometer=()',
		'gyroscope=()',
		'magnetometer=()',
		'clipboard-read=()',
		'publickey-credentials-get=()',
		'browsing-topics=()'
	].join(', ')
});

/**
 * The headers of the build's scripts and style sheets (`/_app/immutable/…`): the ones that apply
 * to a script or a style sheet. Framing, opener and permission policies govern documents, and a
 * first load fetches some thirty of these files, each of which would carry half a kilobyte of
 * them over the shop's network.
 */
export const SUBRESOURCE_HEADERS = Object.freeze({
	'x-content-type-options': SECURITY_HEADERS['x-content-type-options'],
	'referrer-policy': SECURITY_HEADERS['referrer-policy']
});

/** A script or style sheet of the build, which no browser shows as a page. */
export function isBuildSubresource(/** @type {string | undefined} */ url) {
	return /^\/_app\/immutable\/[^?#]*\.(?:js|css)(?:[?#]|$)/.test(url ?? '');
}

/** What an API answer (JSON) may load or be embedded by: nothing. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Only over TLS (`POS_TLS_CERT`/`POS_TLS_KEY`): browsers ignore it over http. No
 * `includeSubDomains`: a shop's other devices under the same name may well be http-only.
 */
export const HSTS = 'max-age=31536000';
