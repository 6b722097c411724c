/**
 * Chromium for the browser suites: a tiny static server on 127.0.0.1 for the bundles, and one
 * headless Chromium with a persistent profile, so IndexedDB survives `restart()` (the journal's
 * open is timed in a freshly started browser, as a till starts in the morning).
 *
 * Pages are cross-origin isolated (COOP + COEP): `performance.now()` then has microsecond
 * resolution instead of the 100 µs it is coarsened to otherwise.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { OUT } from '../scripts/bundle.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags every bench Chromium runs with (as the e2e tests' `playwright.config.ts`). */
export const ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
const HEADERS = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cache-Control': 'no-store'
};
const PAGE = '<!doctype html><meta charset="utf-8"><title>pos bench</title>';

/** @param {string} root */
function serve(root) {
	const server = createServer(async (request, response) => {
		const path = new URL(request.url ?? '/', 'http://x').pathname;
		if (path === '/favicon.ico') {
			response.writeHead(204, HEADERS).end();
			return;
		}
		if (path === '/') {
			response.writeHead(200, { ...HEADERS, 'Content-Type': 'text/html' }).end(PAGE);
			return;
		}
		const file = normalize(join(root, path));
		if (!file.startsWith(root) || !file.endsWith('.js')) {
			response.writeHead(404, HEADERS).end();
			return;
		}
		try {
			const body = await readFile(file);
			response.writeHead(200, { ...HEADERS, 'Content-Type': 'text/javascript' }).end(body);
		} catch {
			response.writeHead(404, HEADERS).end();
		}
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => resolve(server));
	});
}

export class BrowserHost {
	/** @type {import('node:http').Server} */ #server;
	/** @type {string} */ #origin;
	/** @type {string} */ #profile;
	/** @type {import('playwright-core').BrowserContext | undefined} */ #context;
	/** @type {import('playwright-core').Page | undefined} */ #page;

	/** @param {import('node:http').Server} server @param {string} profile */
	constructor(server, profile) {
		this.#server = server;
		const address = /** @type {import('node:net').AddressInfo} */ (server.address());
		this.#origin = `http://127.0.0.1:${address.port}`;
		this.#profile = profile;
	}

	static async start() {
		const server = /** @type {import('node:http').Server} */ (await serve(`${OUT}browser`));
		const profile = await mkdtemp(join(tmpdir(), 'pos-bench-chromium-'));
		const host = new BrowserHost(server, profile);
		try {
			await host.#launch();
		} catch (error) {
			await host.close();
			throw error;
		}
		return host;
	}

	async #launch() {
		const context = await chromium.launchPersistentContext(this.#profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: ARGS
		});
		const page = context.pages()[0] ?? (await context.newPage());
		page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
		page.on('console', (message) => {
			if (message.type() === 'error') console.error(`[page] ${message.text()}`);
		});
		await page.goto(`${this.#origin}/`);
		this.#context = context;
		this.#page = page;
	}

	/** Quits Chromium and starts it again on the same profile and origin. */
	async restart() {
		await this.#context?.close();
		await this.#launch();
	}

	/**
	 * Calls `fn(...args)` exported by a bundle, in the page, and returns its (serialisable) result.
	 * @param {string} url the bundle's path on the server
	 * @param {string} fn
	 * @param {unknown[]} args
	 */
	async call(url, fn, ...args) {
		const page = this.#page;
		if (!page) throw new Error('Chromium is not running');
		return page.evaluate(
			async ({ url, fn, args }) => {
				const module = await import(url);
				return module[fn](...args);
			},
			{ url, fn, args }
		);
	}

	async close() {
		await this.#context?.close().catch(() => undefined);
		this.#server.closeAllConnections();
		await new Promise((resolve) => this.#server.close(resolve));
		await rm(this.#profile, { recursive: true, force: true });
	}
}
