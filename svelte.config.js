import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// The build id (shown in Settings, and the service worker's cache name with the version):
// POS_BUILD_ID when the build sets one (a commit, a CI run), else the build's time in UTC, kept in
// the environment because a build reads this file more than once and every reading must agree.
process.env.POS_BUILD_ID ||= new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const buildId = process.env.POS_BUILD_ID;
if (!/^[A-Za-z0-9._-]{1,40}$/.test(buildId)) {
	throw new Error('POS_BUILD_ID: 1 to 40 letters, digits, dots, dashes or underscores.');
}

// The one inline script of `src/app.html` (it keeps Chromium's install offer), allowed by its hash.
const appHtml = readFileSync(new URL('./src/app.html', import.meta.url), 'utf8');
const inlineScripts = [...appHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
	// Browsers hash the script's text with its line ends as LF, whatever the checkout has.
	([, body]) =>
		`sha256-${createHash('sha256').update(body.replace(/\r\n?/g, '\n')).digest('base64')}`
);

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// POS_BUILD_OUT: another output directory (the update test builds a second version beside
		// the first; `server/index.js` serves it with POS_BUILD_DIR).
		adapter: adapter({ out: process.env.POS_BUILD_OUT || 'build' }),
		version: { name: `${pkg.version}+${buildId}` },
		// The service worker answers every navigation with the cached `/` shell; its asset paths must
		// be absolute, or a page two levels deep (`/backoffice/catalog`) loads `./_app/…` from the
		// wrong folder.
		paths: { relative: false },
		serviceWorker: { register: true },
		// The pages' Content-Security-Policy (issue 8 §5; the other security headers are in
		// `server/security-headers.js`). SvelteKit adds the hash of its inline start-up script
		// (which also registers the service worker) to script-src, `inlineScripts` the hash of
		// app.html's; nothing else runs inline.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', ...inlineScripts],
				'style-src': ['self'],
				// `style="…"` in app.html and what Svelte's style: directives write. An attribute
				// cannot run script; style sheets stay 'self' only.
				'style-src-attr': ['unsafe-inline'],
				// (The journal export is a blob: download, which no fetch directive governs.)
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				// 'self' is the API and the relay (wss:// on an https page). ws: and wss: to any host,
				// because a CodePay LAN terminal is wherever the shop's LAN puts it (any private
				// address or name the owner configures, and loopback simulators), and CSP cannot
				// name "private addresses". Which terminals a till may use is the server's call,
				// not this header's.
				'connect-src': ['self', 'ws:', 'wss:'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-src': ['none'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
