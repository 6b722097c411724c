/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import { cacheName, cachesToDelete } from './cache-retention';
import { z } from 'zod';
import { pageMessage, versionAnswer } from '$lib/app/sw-messages';

// App-shell cache: the till must open and sell (cash, LAN and USB terminals) with no network.
//
// Updates never take over a running till (issue 14): a new version installs and then waits; the
// page offers it and asks for it (`apply-update`) only when no payment is in flight and no order is
// at the checkout, then reloads. Until then the old version's pages are served from the old cache,
// which stays as long as an open page runs that version (`cache-retention.ts`).
const sw = self as unknown as ServiceWorkerGlobalScope;
// No eval here either: zod interprets its parsers (as in `src/hooks.client.ts`).
z.config({ jitless: true });
const CACHE = cacheName(version);
const ASSETS = [...build, ...files, '/'];
/** How long an open page has to say which version it runs before its answer counts as unknown. */
const ANSWER_MS = 2_000;

sw.addEventListener('install', (event) => {
	// No skipWaiting(): the running version stays in charge until a page asks for the new one.
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)));
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(sw.clients.claim().then(tidyCaches));
});

sw.addEventListener('message', (event) => {
	const message = pageMessage.safeParse(event.data);
	if (!message.success) return;
	if (message.data.type === 'apply-update') void sw.skipWaiting();
	else event.waitUntil(tidyCaches());
});

/** Deletes the caches of versions no open page runs any more. */
async function tidyCaches(): Promise<void> {
	const pages = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
	const inUse = await Promise.all(pages.map(askVersion));
	const doomed = cachesToDelete(await caches.keys(), version, inUse);
	await Promise.all(doomed.map((key) => caches.delete(key)));
}

function askVersion(page: Client): Promise<string | null> {
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		const timer = setTimeout(() => resolve(null), ANSWER_MS);
		channel.port1.onmessage = (event) => {
			clearTimeout(timer);
			const answer = versionAnswer.safeParse(event.data);
			resolve(answer.success ? answer.data.version : null);
		};
		page.postMessage({ type: 'which-version' }, [channel.port2]);
	});
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin || url.pathname.startsWith('/api/')) return;
	// A static page of its own (e.g. `card-return.html`, where a card's 3-D Secure step lands in
	// its pop-up) is itself, not the app's shell.
	if (
		request.mode === 'navigate' &&
		!(url.pathname.endsWith('.html') && files.includes(url.pathname))
	) {
		// Every screen is the same client-rendered shell, this version's: a page shows the version
		// whose worker is in charge, so a reload never brings in a new version by the back door.
		event.respondWith(fromCache('/').then((hit) => hit ?? fetch(request)));
		return;
	}
	if (ASSETS.includes(url.pathname)) {
		event.respondWith(fromCache(url.pathname).then((hit) => hit ?? fetch(request)));
	} else if (url.pathname.startsWith('/_app/immutable/')) {
		// An older version's chunk, asked for by a page that still runs it: from its cache.
		event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
	}
});

async function fromCache(path: string): Promise<Response | undefined> {
	return (await caches.open(CACHE)).match(path);
}
