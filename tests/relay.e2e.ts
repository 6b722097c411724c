/**
 * The relay path (issue 3, NOTES.md §1 "Mixed content"): the POS served over https, as a shop does
 * to give its tablets a secure context, where the browser may not open `ws://` to a LAN terminal.
 * This file runs its own POS server with a throwaway self-signed certificate and its own CodePay
 * simulator, and checks that the page says it goes through the server, that the test connection
 * and a sale work that way, and that the page never opened a socket to the terminal itself.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startCodePaySimulator } from '../simulators/codepay-register/server.js';
import { addProduct, openTill } from './fixtures';

const TERMINAL_ID = 'codepay-relayed';
const TERMINAL = 'CodePay via the server';
const APP_ID = 'relay-app-id';

type Simulator = Awaited<ReturnType<typeof startCodePaySimulator>>;

let dir = '';
let server: ChildProcess | undefined;
let sim: Simulator | undefined;
let origin = '';

/** Starts `server/index.js` over https and resolves with its origin once it listens. */
function startHttpsServer(env: Record<string, string>): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['server/index.js'], {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		server = child;
		let output = '';
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const listening = /Listening on https:\/\/[^:]+:(\d+)/.exec(output);
			if (listening) resolve(`https://localhost:${listening[1]}`);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', (code) => reject(new Error(`POS server exited (${code}):\n${output}`)));
	});
}

test.beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'pos-relay-e2e-'));
	// A throwaway certificate for this run only (the browser is told to accept it below).
	execFileSync('openssl', [
		'req',
		'-x509',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:prime256v1',
		'-nodes',
		'-days',
		'1',
		'-subj',
		'/CN=localhost',
		'-keyout',
		join(dir, 'key.pem'),
		'-out',
		join(dir, 'cert.pem')
	]);
	sim = await startCodePaySimulator({ port: 0, host: '127.0.0.1', appId: APP_ID, log: () => {} });
	const config = JSON.parse(readFileSync('config/pos.demo.json', 'utf8'));
	config.terminals = [
		{
			id: TERMINAL_ID,
			name: TERMINAL,
			rail: 'codepay-lan',
			currency: config.currency,
			// 0.0.0.0 is not a loopback name to the browser, so an https page must relay; Linux
			// connects the server's socket to this machine, where the simulator listens.
			params: { host: '0.0.0.0', port: sim.port, appId: APP_ID, profile: 'codepay' }
		}
	];
	writeFileSync(join(dir, 'pos.json'), JSON.stringify(config));
	origin = await startHttpsServer({
		HOST: '127.0.0.1',
		PORT: '0',
		POS_CONFIG: join(dir, 'pos.json'),
		POS_DATA_DIR: join(dir, 'data'),
		POS_TLS_CERT: join(dir, 'cert.pem'),
		POS_TLS_KEY: join(dir, 'key.pem')
	});
});

test.afterAll(async () => {
	server?.kill();
	await sim?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

async function httpsPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: origin, ignoreHTTPSErrors: true });
	return { context, page: await context.newPage() };
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
