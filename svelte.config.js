import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter(),
		serviceWorker: { register: true },
		// The pages' Content-Security-Policy (issue 8 §5; the other security headers are in
		// `server/security-headers.js`). SvelteKit adds the hash of its inline start-up script
		// (which also registers the service worker) to script-src; nothing else runs inline.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
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
