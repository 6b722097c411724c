/**
 * The relay path (issue 3, NOTES.md §1 "Mixed content and Local Network Access"): the POS served
 * over https, as a shop does to give its tablets a secure context, in a browser without Local
 * Network Access (Safari, Firefox, Android WebView: the permission query rejects, as there), where
 * the page may not open `ws://` to a LAN terminal. `lan-direct.e2e.ts` has Chromium's own cases.
 * This file runs its own POS server with a throwaway self-signed certificate and its own CodePay
 * simulator, and checks that the page says it goes through the server, that the test connection,
 * a sale and a manager-approved refund work that way, that the page never opened a socket to the
 * terminal itself, and (issue 8, finding 3) that a refund the server did not approve, sent from
 * the page with the till's own credentials, never reaches the terminal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startCodePaySimulator } from '../simulators/codepay-register/server.js';
import { MANAGER_PIN, addProduct, openTill, payCroissantOnTerminal } from './fixtures';
import {
	demoConfigWithLanTerminal,
	startPosServer,
	throwawayCertificate,
	type PosServer
} from './pos-server';

const TERMINAL_ID = 'codepay-relayed';
const TERMINAL = 'CodePay via the server';
const APP_ID = 'relay-app-id';

type Simulator = Awaited<ReturnType<typeof startCodePaySimulator>>;

let dir = '';
let server: PosServer | undefined;
let sim: Simulator | undefined;
let origin = '';

test.beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'pos-relay-e2e-'));
	// A throwaway certificate for this run only (the browser is told to accept it below).
	const tls = throwawayCertificate(dir);
	sim = await startCodePaySimulator({ port: 0, host: '127.0.0.1', appId: APP_ID, log: () => {} });
	// 0.0.0.0 is not a loopback name to the browser, so an https page must relay; Linux connects
	// the server's socket to this machine, where the simulator listens.
	const config = demoConfigWithLanTerminal(TERMINAL_ID, TERMINAL, {
		host: '0.0.0.0',
		port: sim.port,
		appId: APP_ID
	});
	server = await startPosServer({ POS_TLS_CERT: tls.cert, POS_TLS_KEY: tls.key }, config);
	origin = server.origin;
});

test.afterAll(async () => {
	await server?.stop();
	await sim?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A page over https in a browser that has no Local Network Access permission. */
async function httpsPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: origin, ignoreHTTPSErrors: true });
	await context.addInitScript(() => {
		const query = navigator.permissions.query.bind(navigator.permissions);
		navigator.permissions.query = (descriptor: PermissionDescriptor) =>
			['local-network-access', 'local-network', 'loopback-network'].includes(descriptor.name)
				? Promise.reject(new TypeError(`'${descriptor.name}' is not a valid permission name`))
				: query(descriptor);
	});
	return { context, page: await context.newPage() };
}

/** What the till's own relay connection carried: its URL, subprotocols and the frames it sent. */
interface Watched {
	url?: string;
	protocols?: string[];
	sent: string[];
}

/** Watches the page's relay sockets, handshake included (Chromium's DevTools protocol). */
async function watchRelay(context: BrowserContext, page: Page): Promise<Watched> {
	const watched: Watched = { sent: [] };
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	cdp.on('Network.webSocketWillSendHandshakeRequest', (event) => {
		const headers = event.request.headers as Record<string, string>;
		const key = Object.keys(headers).find((k) => k.toLowerCase() === 'sec-websocket-protocol');
		if (key) watched.protocols = headers[key]!.split(',').map((p) => p.trim());
	});
	page.on('websocket', (socket) => {
		watched.url = socket.url();
		socket.on('framesent', (frame) => {
			if (typeof frame.payload === 'string') watched.sent.push(frame.payload);
		});
	});
	return watched;
}

/** A fresh till on the relayed terminal, with one croissant paid on card. */
async function paidOnRelayedTerminal(page: Page): Promise<void> {
	await openTill(page);
	await payCroissantOnTerminal(page, TERMINAL);
}

/** The latest approved sale on the simulator. */
function latestSale(): { merchant_order_no: string } {
	const sales = sim!.transactions().filter((t) => t.trans_type === '1' && t.trans_status === '2');
	return sales.at(-1) as { merchant_order_no: string };
}

/** Opens a socket from the page with the till's credentials, sends `frame`, returns the answer. */
function sendFromPage(page: Page, watched: Watched, frame: unknown): Promise<unknown> {
	return page.evaluate(
		({ url, protocols, text }) =>
			new Promise<unknown>((resolve) => {
				const socket = new WebSocket(url, protocols);
				socket.onopen = () => socket.send(text);
				socket.onmessage = (event) => {
					resolve(JSON.parse(String(event.data)));
					socket.close();
				};
				socket.onclose = (event) => resolve({ closed: event.code });
			}),
		{ url: watched.url!, protocols: watched.protocols!, text: JSON.stringify(frame) }
	);
}

/** The order numbers of every order request the terminal received. */
function orderNumbersSeen(): string[] {
	return sim!
		.requests()
		.map((r) => (r.biz_data as { merchant_order_no?: string } | undefined)?.merchant_order_no)
		.filter((n): n is string => typeof n === 'string');
}

test('on an https page the till reaches the LAN terminal through the POS server', async ({
	browser
}) => {
	const { context, page } = await httpsPage(browser);
	const sockets: string[] = [];
	page.on('websocket', (socket) => sockets.push(socket.url()));

	await openTill(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	const row = page.getByRole('row', { name: new RegExp(TERMINAL) });
	await row.getByRole('button', { name: 'Edit' }).click();
	await expect(page.getByTestId('connection-mode')).toContainText('through the POS server');
	await expect(page.getByTestId('connection-mode')).toContainText('mixed content');
	await page.getByRole('button', { name: 'Test connection' }).click();
	await expect(page.getByTestId('connection-test')).toContainText('Connected to the terminal');
	await page.getByRole('button', { name: 'Cancel' }).click();

	await row.getByRole('button', { name: 'Use' }).click();
	await expect(page.getByTestId('terminal-status')).toHaveText(`${TERMINAL}: connected`);
	await page.getByRole('link', { name: 'Sell' }).click();
	await addProduct(page, 'Butter Croissant');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await expect(page.getByLabel('Terminal')).toHaveValue(TERMINAL_ID);
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();

	const sales = sim!.transactions().filter((t) => t.trans_type === '1');
	expect(sales).toHaveLength(1);
	expect(sales[0]!.trans_status).toBe('2');
	// Every socket the page opened went to its own server's relay, none to the terminal.
	expect(sockets.length).toBeGreaterThan(0);
	for (const url of sockets)
		expect(url).toMatch(new RegExp(`^wss://localhost:\\d+/api/terminals/relay`));
	await context.close();
});

test('the relay refuses a till that is not paired with the server', async ({ browser }) => {
	const { context, page } = await httpsPage(browser);
	await page.goto('/');
	const seen = sim!.requests().length;
	const closed = await page.evaluate(
		(terminal) =>
			new Promise<{ code: number; opened: boolean }>((resolve) => {
				let opened = false;
				const socket = new WebSocket(
					`wss://${location.host}/api/terminals/relay?terminal=${terminal}`,
					['pos-relay', 'token.not-a-device']
				);
				socket.onopen = () => (opened = true);
				socket.onclose = (event) => resolve({ code: event.code, opened });
			}),
		TERMINAL_ID
	);
	expect(closed.code).toBe(4401);
	expect(sim!.requests()).toHaveLength(seen);
	await context.close();
});

test('a refund with the manager PIN goes through the relay, and its approval is used once', async ({
	browser
}) => {
	const { context, page } = await httpsPage(browser);
	const watched = await watchRelay(context, page);
	await paidOnRelayedTerminal(page);
	const sale = latestSale();

	await page.getByRole('link', { name: 'Orders' }).click();
	await page.locator('table.orders a').first().click();
	await page.getByRole('button', { name: 'Refund' }).click();
	await page.getByLabel('Refund amount').fill('1.00');
	await page.getByLabel('Manager PIN').fill(MANAGER_PIN);
	await page.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByTestId('order-status')).toHaveText('partially refunded');
	const refunds = sim!
		.transactions()
		.filter((t) => t.trans_type === '3' && t.orig_merchant_order_no === sale.merchant_order_no);
	expect(refunds).toHaveLength(1);
	expect(refunds[0]).toMatchObject({ order_amount: 100, trans_status: '2' });

	// The page sends the same refund again under a new number: the approval is spent.
	const sent = watched.sent
		.map((text) => JSON.parse(text) as { biz_data?: { trans_type?: string } })
		.find((frame) => frame.biz_data?.trans_type === '3') as {
		request_id: string;
		biz_data: Record<string, unknown>;
	};
	expect(sent).toBeTruthy();
	const replay = {
		...sent,
		request_id: 'e2e-replay-1',
		biz_data: { ...sent.biz_data, merchant_order_no: 'E2EREPLAY1' }
	};
	expect(await sendFromPage(page, watched, replay)).toMatchObject({
		topic: 'pos.relay.refused',
		request_id: 'e2e-replay-1',
		reason: 'approval_required'
	});
	expect(orderNumbersSeen()).not.toContain('E2EREPLAY1');
	await context.close();
});

test('a refund frame with no approval, sent from the page, never reaches the terminal', async ({
	browser
}) => {
	const { context, page } = await httpsPage(browser);
	const watched = await watchRelay(context, page);
	await paidOnRelayedTerminal(page);
	const sale = latestSale();
	expect(watched.protocols).toBeTruthy();

	const answer = await sendFromPage(page, watched, {
		topic: 'ecrhub.pay.order',
		request_id: 'e2e-unapproved-1',
		timestamp: String(Date.now()),
		version: '1.0',
		app_id: APP_ID,
		biz_data: {
			trans_type: '3',
			merchant_order_no: 'E2ENOAPPROVAL1',
			orig_merchant_order_no: sale.merchant_order_no,
			order_amount: '1.00'
		}
	});
	expect(answer).toMatchObject({
		topic: 'pos.relay.refused',
		request_id: 'e2e-unapproved-1',
		reason: 'approval_required',
		message: expect.stringContaining('A manager must approve this refund')
	});
	expect(orderNumbersSeen()).not.toContain('E2ENOAPPROVAL1');
	expect(sim!.transactions().filter((t) => t.trans_type === '3')).not.toContainEqual(
		expect.objectContaining({ merchant_order_no: 'E2ENOAPPROVAL1' })
	);
	await context.close();
});
