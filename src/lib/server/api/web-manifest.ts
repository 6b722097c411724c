/**
 * The web app manifest (issue 14 "Install"), served by the server so that the installed app bears
 * the store's name: `GET /manifest.webmanifest`, no credentials (the browser fetches it without
 * them). The icons and screenshots are drawn by `scripts/make-icons.js`.
 */
import type { Runtime } from '../runtime';

/** Launchers cut names longer than about 12 characters. */
const SHORT_NAME_MAX = 12;

export function webManifest(storeName: string) {
	const shortName =
		storeName.length <= SHORT_NAME_MAX ? storeName : `${storeName.slice(0, SHORT_NAME_MAX - 1)}…`;
	return {
		// The id stays when the store is renamed: an installed till remains the same app.
		id: '/',
		name: storeName,
		short_name: shortName,
		description: `${storeName}: point of sale`,
		start_url: '/',
		scope: '/',
		display: 'standalone',
		orientation: 'any',
		background_color: '#f8fafc',
		theme_color: '#0f172a',
		icons: [
			{ src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
			{ src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
			{ src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
			{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }
		],
		screenshots: [
			{
				src: '/screenshot-wide.png',
				sizes: '1280x720',
				type: 'image/png',
				form_factor: 'wide',
				label: 'The sell screen on a counter PC'
			},
			{
				src: '/screenshot-narrow.png',
				sizes: '720x1280',
				type: 'image/png',
				form_factor: 'narrow',
				label: 'The sell screen on a tablet'
			}
		]
	};
}

export function manifestResponse(rt: Runtime): Response {
	return new Response(JSON.stringify(webManifest(rt.config.storeName)), {
		headers: {
			'content-type': 'application/manifest+json',
			// The store may be renamed: browsers ask again rather than keep an old name.
			'cache-control': 'no-cache'
		}
	});
}
