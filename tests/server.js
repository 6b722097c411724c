// The POS server as the end-to-end tests use it: the production build behind `server/index.js`
// (with the terminal relay), a fresh embedded store, and a CodePay Register simulator on a free
// loopback port that the provisioned terminal "codepay-1" points at, plus a WiseCashier one for
// "wise-1".
//
// Tests find the simulator in `tests/.artifacts/sim.json` (written before the server listens, so
// it exists once Playwright sees the port):
//   { "codepay": { "terminalId", "host", "port", "url", "appId", "controlUrl" },
//     "wisecashier": { "terminalId", "port", "appId", "requestsUrl" } }
// `controlUrl` is a loopback HTTP endpoint of this test process only (never part of the app):
//   POST /faults {…SimulatorFaults} · POST /reset · POST /drop · GET /transactions · GET /requests
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { startCodePaySimulator } from '../simulators/codepay-register/server.js';
import { startCloudGatewaySimulator } from '../simulators/codepay-cloud/server.js';
import { startIotPaySimulator } from '../simulators/iotpay/server.js';

const TERMINAL_ID = 'codepay-1';
const APP_ID = 'sim-app-id';

const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-'));
// The store in dataDir/pglite; the generated session secret is kept in it, where
// tests/secrets.e2e.ts reads it.
process.env.POS_DATA_DIR = join(dataDir, 'pglite');

const sim = await startCodePaySimulator({
	port: 0,
	host: '127.0.0.1',
	appId: APP_ID,
	log: process.env.E2E_SIM_LOG ? (line) => console.log(`[codepay-sim] ${line}`) : () => {}
});
const initialFaults = { ...sim.faults };
const WISE_ID = 'wise-1';
const wise = await startCodePaySimulator({
	port: 0,
	host: '127.0.0.1',
	appId: APP_ID,
	profile: 'wisecashier',
	log: () => {}
});

// The demo's "iotpay-1" terminal goes through the server to an IOT Pay simulator, with a merchant
// key made for this run (tests/secrets.e2e.ts checks that no till ever receives it).
const iotpayKey = randomBytes(24).toString('base64url');
const iotpay = await startIotPaySimulator({ port: 0, key: iotpayKey, cardMs: 300 });
process.env.IOTPAY_MCH_ID = iotpay.mchId;
process.env.IOTPAY_KEY = iotpayKey;
process.env.IOTPAY_BASE_URL = iotpay.url;

/** @param {import('node:http').IncomingMessage} request @returns {Promise<any>} */
async function body(request) {
	let text = '';
	for await (const chunk of request) text += chunk;
	return text ? JSON.parse(text) : {};
}

const control = createServer(async (request, response) => {
	/** @param {number} status @param {unknown} value */
	const reply = (status, value) =>
		response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
	try {
		const route = `${request.method} ${request.url}`;
		if (route === 'POST /faults') sim.setFaults(await body(request));
		else if (route === 'POST /reset') sim.setFaults(initialFaults);
		else if (route === 'POST /drop') sim.dropConnections();
		else if (route === 'GET /transactions') return reply(200, sim.transactions());
		else if (route === 'GET /requests') return reply(200, sim.requests());
		else if (route === 'GET /wisecashier/requests') return reply(200, wise.requests());
		else return reply(404, { error: 'unknown route' });
		reply(200, { faults: sim.faults });
	} catch (error) {
		reply(400, { error: /** @type {Error} */ (error).message });
	}
});
await new Promise((resolve) => control.listen(0, '127.0.0.1', () => resolve(undefined)));
const controlAddress = /** @type {import('node:net').AddressInfo} */ (control.address());

// The CodePay cloud rail configured as a shop would: throwaway keys in the data folder, given to
// the server by path; tests/secrets.e2e.ts proves the merchant's private key never reaches a till.
const pem = (/** @type {import('node:crypto').KeyObject} */ key, /** @type {string} */ type) =>
	String(key.export(/** @type {any} */ ({ type, format: 'pem' })));
const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gatewayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchantKeyFile = join(dataDir, 'codepay-merchant-private.pem');
const gatewayKeyFile = join(dataDir, 'codepay-gateway-public.pem');
writeFileSync(merchantKeyFile, pem(merchantKeys.privateKey, 'pkcs8'), { mode: 0o600 });
writeFileSync(gatewayKeyFile, pem(gatewayKeys.publicKey, 'spki'));
const cloud = await startCloudGatewaySimulator({
	port: 0,
	merchantPublicKey: pem(merchantKeys.publicKey, 'spki'),
	gatewayPrivateKey: pem(gatewayKeys.privateKey, 'pkcs8')
});
process.env.CODEPAY_GATEWAY_URL = cloud.url;
process.env.CODEPAY_APP_ID = 'sim-cloud-app';
process.env.CODEPAY_MERCHANT_NO = '302300000926';
process.env.CODEPAY_MERCHANT_PRIVATE_KEY_FILE = merchantKeyFile;
process.env.CODEPAY_GATEWAY_PUBLIC_KEY_FILE = gatewayKeyFile;

// The configured config, with "codepay-1" pointed at this run's simulator.
const config = JSON.parse(readFileSync(process.env.POS_CONFIG ?? 'config/pos.demo.json', 'utf8'));
const terminal = {
	id: TERMINAL_ID,
	name: 'CodePay Register (simulator)',
	rail: 'codepay-lan',
	currency: config.currency ?? 'USD',
	params: { host: '127.0.0.1', port: sim.port, appId: APP_ID, profile: 'codepay' }
};
/** @type {{ id: string; [key: string]: unknown }[]} */
const terminals = config.terminals ?? [];
const at = terminals.findIndex((t) => t.id === TERMINAL_ID);
if (at >= 0) terminals[at] = terminal;
else terminals.push(terminal);
terminals.push({
	id: WISE_ID,
	name: 'WiseCashier forecourt (simulator)',
	rail: 'codepay-lan',
	currency: config.currency ?? 'USD',
	params: { host: '127.0.0.1', port: wise.port, appId: APP_ID, profile: 'wisecashier' }
});
config.terminals = terminals;
const configFile = join(mkdtempSync(join(tmpdir(), 'pos-e2e-config-')), 'pos.json');
writeFileSync(configFile, JSON.stringify(config, null, '\t'));
process.env.POS_CONFIG = configFile;

const artifacts = fileURLToPath(new URL('./.artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
writeFileSync(
	join(artifacts, 'sim.json'),
	JSON.stringify(
		{
			dataDir,
			iotpay: { key: iotpayKey, url: iotpay.url },
			cloud: { url: cloud.url, merchantKeyFile },
			codepay: {
				terminalId: TERMINAL_ID,
				host: '127.0.0.1',
				port: sim.port,
				url: sim.url,
				appId: APP_ID,
				controlUrl: `http://127.0.0.1:${controlAddress.port}`
			},
			wisecashier: {
				terminalId: WISE_ID,
				port: wise.port,
				appId: APP_ID,
				requestsUrl: `http://127.0.0.1:${controlAddress.port}/wisecashier/requests`
			}
		},
		null,
		'\t'
	)
);
console.log(
	`[e2e] CodePay simulator on port ${sim.port} (${TERMINAL_ID}); control on ${controlAddress.port}`
);

// Built by `vite build` just before (see playwright.config.ts); a variable keeps type checks off it.
const entry = '../server/index.js';
await import(entry);
