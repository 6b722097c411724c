// `npm start`: installs what is missing, builds the POS, then runs it with its simulators and the
// embedded store at http://localhost:3000 (PORT to change it; POS_TLS_CERT + POS_TLS_KEY for https;
// POS_SIMULATORS=0 to leave the CodePay Register, CodePay cloud gateway and IOT Pay simulators off).
import { execSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDeps } from './ensure-deps.js';

ensureDeps();
console.log('Building the POS…');
execSync('npx vite build --logLevel warn', { stdio: 'inherit' });

const port = process.env.PORT ?? '3000';
const children = [];

/** Starts a child; when an essential one stops, everything stops. */
function run(name, command, args, env = {}, essential = true) {
	const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	child.on('exit', (code) => {
		console.log(`${name} stopped (${code ?? 'signal'}).`);
		if (essential) shutdown(code ?? 1);
	});
	children.push(child);
	return child;
}

function shutdown(code) {
	for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
	if (cloudKeys) rmSync(cloudKeys.dir, { recursive: true, force: true });
	process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

const tls = Boolean(process.env.POS_TLS_CERT && process.env.POS_TLS_KEY);
const scheme = tls ? 'https' : 'http';
const simulators = process.env.POS_SIMULATORS !== '0';

// The demo config's "codepay-1" terminal points here. Not essential: if the port is taken (another
// simulator, a real terminal app on this machine), the POS runs on without it.
if (simulators) {
	run(
		'CodePay Register simulator',
		process.execPath,
		['simulators/codepay-register/cli.js', '--port', '35779', '--host', '127.0.0.1'],
		{},
		false
	);
}

// The demo config's "iotpay-1" terminal goes through the server to this IOT Pay simulator. Its
// merchant key is made afresh at every start and handed to both through the environment: nothing
// secret is committed. Real IOTPAY_* settings in the environment win (and then no simulator).
const iotpayReal = Boolean(process.env.IOTPAY_BASE_URL);
/** @type {Record<string, string>} */
const iotpayEnv = {};
if (simulators && !iotpayReal) {
	iotpayEnv.IOTPAY_MCH_ID = '10000576';
	iotpayEnv.IOTPAY_KEY = randomBytes(24).toString('base64url');
	iotpayEnv.IOTPAY_BASE_URL = 'http://127.0.0.1:35781';
	run(
		'IOT Pay simulator',
		process.execPath,
		['simulators/iotpay/cli.js', '--port', '35781', '--mch-id', iotpayEnv.IOTPAY_MCH_ID],
		{ IOTPAY_KEY: iotpayEnv.IOTPAY_KEY },
		false
	);
}

// The CodePay cloud gateway simulator, with throwaway key pairs made for this start only, in a
// temporary folder outside the repo: the merchant's (the POS server signs with its private half)
// and the gateway's (the simulator signs answers and notifications with its private half).
// Configured CODEPAY_* variables win: then the POS talks to that gateway and no simulator runs.
let cloudKeys = null;
/** @type {Record<string, string>} */
let cloudEnv = {};
if (simulators && !process.env.CODEPAY_GATEWAY_URL) {
	const dir = mkdtempSync(join(tmpdir(), 'pos-codepay-cloud-'));
	const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
	const merchant = pair();
	const gateway = pair();
	const write = (name, key, type) => {
		const path = join(dir, name);
		writeFileSync(path, key.export({ type, format: 'pem' }), { mode: 0o600 });
		return path;
	};
	cloudKeys = {
		dir,
		merchantPrivate: write('merchant-private.pem', merchant.privateKey, 'pkcs8'),
		merchantPublic: write('merchant-public.pem', merchant.publicKey, 'spki'),
		gatewayPrivate: write('gateway-private.pem', gateway.privateKey, 'pkcs8'),
		gatewayPublic: write('gateway-public.pem', gateway.publicKey, 'spki')
	};
	run(
		'CodePay cloud gateway simulator',
		process.execPath,
		[
			'simulators/codepay-cloud/cli.js',
			'--port',
			'35780',
			'--host',
			'127.0.0.1',
			'--merchant-public-key-file',
			cloudKeys.merchantPublic,
			'--gateway-private-key-file',
			cloudKeys.gatewayPrivate
		],
		{},
		false
	);
	cloudEnv = {
		CODEPAY_GATEWAY_URL: 'http://127.0.0.1:35780/api/entry',
		CODEPAY_APP_ID: 'sim-cloud-app',
		CODEPAY_MERCHANT_NO: '302300000926',
		CODEPAY_MERCHANT_PRIVATE_KEY_FILE: cloudKeys.merchantPrivate,
		CODEPAY_GATEWAY_PUBLIC_KEY_FILE: cloudKeys.gatewayPublic
	};
}

// server/index.js: adapter-node's handler plus the WebSocket relay for https pages (NOTES.md §1).
run('POS server', process.execPath, ['server/index.js'], {
	...iotpayEnv,
	...cloudEnv,
	PORT: port,
	HOST: process.env.HOST ?? '127.0.0.1',
	// The demo store, as a seed imported once into the data directory's database (issue 13). An
	// empty POS_CONFIG starts without one: the browser then shows the store's setup.
	POS_CONFIG: process.env.POS_CONFIG ?? 'config/pos.demo.json',
	// The body limit is server/index.js's own (BODY_SIZE_LIMIT, 10M by default).
	ORIGIN: process.env.ORIGIN ?? `${scheme}://localhost:${port}`
});

console.log(`
  POS:            ${scheme}://localhost:${port}
  Pairing code:   246810 (demo)
  Staff PINs:     1111 Casey Cashier · 9999 Morgan Manager (approves refunds)
  Terminals:      "Counter terminal (simulated)"; pick a scenario in Settings
                  ${simulators ? '"CodePay Register (simulator)" at ws://127.0.0.1:35779 (app id sim-app-id)' : 'CodePay simulator off (POS_SIMULATORS=0)'}
                  ${iotpayReal ? `"IOT Pay PAX": IOT Pay at ${process.env.IOTPAY_BASE_URL}` : simulators ? '"IOT Pay PAX (simulator)" through the server, gateway at http://127.0.0.1:35781' : ''}
                  ${cloudKeys ? '"CodePay cloud (simulator)": gateway at http://127.0.0.1:35780/api/entry' : 'CodePay cloud: from CODEPAY_* (or not configured)'}
`);
