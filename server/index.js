// The POS's production server: adapter-node's request handler plus the CodePay LAN relay
// (`wss://<host>/api/terminals/relay`, NOTES.md §1 "Mixed content and Local Network Access", for
// https pages whose browser may not open `ws://` to the terminal), which SvelteKit cannot serve
// because it has no WebSocket support. Run after `vite build`: `node server/index.js`.
//
// Environment: PORT (3000), HOST (0.0.0.0), ORIGIN, SHUTDOWN_TIMEOUT (seconds, 30), POS_BUILD_DIR,
// BODY_SIZE_LIMIT (10M, see `body-limit.js`), and POS_TLS_CERT + POS_TLS_KEY (PEM files) to serve
// https/wss, as a shop does on its LAN so that tablets get a secure context. Everything else
// (POS_CONFIG, POS_DATA_DIR, POS_RELAY_*) is read by the app; see `src/lib/server/boot.ts` and
// `src/lib/server/relay/publish.ts`.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_BODY_SIZE_LIMIT } from './body-limit.js';
import {
	HSTS,
	isBuildSubresource,
	SECURITY_HEADERS,
	SUBRESOURCE_HEADERS
} from './security-headers.js';

/** Where `src/lib/server/relay/publish.ts` leaves the relay (the app's `init` hook). */
const RELAY_GLOBAL = Symbol.for('terminal-pos.relay');

// adapter-node reads the limit when its handler loads, so it is set first: one limit whether
// `npm start`, the tests or a service manager starts this file.
if (!process.env.BODY_SIZE_LIMIT) process.env.BODY_SIZE_LIMIT = DEFAULT_BODY_SIZE_LIMIT;

// Importing the handler starts the SvelteKit server, whose `init` hook publishes the relay.
// A variable keeps type checks off the build output, which may not exist yet. POS_BUILD_DIR: a
// build made with POS_BUILD_OUT elsewhere than `build/` (the update test runs two versions).
const handlerModule = process.env.POS_BUILD_DIR
	? pathToFileURL(resolve(process.env.POS_BUILD_DIR, 'handler.js')).href
	: '../build/handler.js';
/** @type {{ handler: import('node:http').RequestListener }} */
const { handler } = await import(handlerModule);

/**
 * @typedef {object} Relay
 * @property {(url: string | undefined) => boolean} matches
 * @property {(req: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => Promise<void>} handleUpgrade
 * @property {() => void} close
 */
/** @type {Relay | undefined} */
const relay = /** @type {Record<symbol, Relay | undefined>} */ (globalThis)[RELAY_GLOBAL];
if (!relay)
	console.warn(
		'POS server: the terminal relay did not load; https pages without Local Network Access cannot reach LAN terminals.'
	);

const certFile = process.env.POS_TLS_CERT;
const keyFile = process.env.POS_TLS_KEY;
if (Boolean(certFile) !== Boolean(keyFile)) {
	console.error('POS server: set both POS_TLS_CERT and POS_TLS_KEY, or neither.');
	process.exit(1);
}
const tls =
	certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : null;

/**
 * Every response carries the security headers, static files too (they never reach the app's
 * hooks), the build's scripts and style sheets only those that apply to them; HSTS only here,
 * where it is known that the connection is TLS.
 * @type {import('node:http').RequestListener}
 */
function withSecurityHeaders(request, response) {
	const subresource = isBuildSubresource(request.url);
	const headers = subresource ? SUBRESOURCE_HEADERS : SECURITY_HEADERS;
	for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
	if (tls) response.setHeader('strict-transport-security', HSTS);
	if (subresource) withoutValidators(response);
	handler(request, response);
}

/**
 * The build's files are named by their content and cached for a year as immutable: a browser never
 * revalidates them, so their ETag and Last-Modified are bytes for nothing on every one (the Date
 * stays: HTTP asks for it, and caches between use it for the file's age).
 * @param {import('node:http').ServerResponse} response
 */
function withoutValidators(response) {
	const writeHead = response.writeHead;
	/** @type {(...args: any[]) => import('node:http').ServerResponse} */
	const filtered = (status, ...rest) => {
		const last = rest.at(-1);
		if (last && typeof last === 'object' && !Array.isArray(last)) {
			// A copy: the static file server keeps this object for the next request.
			const { ETag: _etag, 'Last-Modified': _modified, ...kept } = last;
			rest[rest.length - 1] = kept;
		}
		return writeHead.call(response, status, ...rest);
	};
	response.writeHead = /** @type {typeof response.writeHead} */ (filtered);
}
const server = tls
	? https.createServer(tls, withSecurityHeaders)
	: http.createServer(withSecurityHeaders);

server.on('upgrade', (request, socket, head) => {
	if (relay?.matches(request.url)) {
		relay.handleUpgrade(request, socket, head).catch((error) => {
			console.error('POS server: relay failure:', error);
			socket.destroy();
		});
		return;
	}
	socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
});

const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT || 3000);
server.listen(port, host, () => {
	const address = server.address();
	const shown = typeof address === 'object' && address ? address.port : port;
	console.log(`Listening on ${tls ? 'https' : 'http'}://${host}:${shown}`);
});

let stopping = false;
/** @param {string} signal */
function shutdown(signal) {
	if (stopping) return;
	stopping = true;
	relay?.close();
	server.close(() => {
		// Lets the app close its store, as adapter-node's own entry does.
		process.emit('sveltekit:shutdown', signal);
		process.exit(0);
	});
	server.closeIdleConnections();
	const seconds = Number(process.env.SHUTDOWN_TIMEOUT || 30);
	setTimeout(() => server.closeAllConnections(), seconds * 1000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
