#!/usr/bin/env node
/**
 * Start the CodePay cloud gateway simulator:
 *   node simulators/codepay-cloud/cli.js --merchant-public-key-file F --gateway-private-key-file F
 *        [--port 35780] [--host 127.0.0.1] [--app-id ID] [--merchant-no NO] [--approve-ms 1500]
 *        [--fault name[=value]]...
 * e.g. `--fault decline --fault slowMs=5000`. Faults change at run time: POST /control/faults.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startCloudGatewaySimulator } from './server.js';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '35780' },
		host: { type: 'string', default: '127.0.0.1' },
		'app-id': { type: 'string', default: 'sim-cloud-app' },
		'merchant-no': { type: 'string', default: '302300000926' },
		'merchant-public-key-file': { type: 'string' },
		'gateway-private-key-file': { type: 'string' },
		'approve-ms': { type: 'string', default: '1500' },
		fault: { type: 'string', multiple: true, default: [] },
		quiet: { type: 'boolean', default: false }
	}
});

if (!values['merchant-public-key-file'] || !values['gateway-private-key-file']) {
	console.error('--merchant-public-key-file and --gateway-private-key-file are required');
	process.exit(2);
}
/** @type {Record<string, unknown>} */
const faults = {};
for (const item of values.fault ?? []) {
	const [name = '', raw] = item.split('=');
	faults[name] = raw === undefined ? true : /^-?\d+$/.test(raw) ? Number(raw) : raw !== 'false';
}

const simulator = await startCloudGatewaySimulator({
	port: Number(values.port),
	host: values.host,
	appId: values['app-id'],
	merchantNo: values['merchant-no'],
	merchantPublicKey: readFileSync(values['merchant-public-key-file'], 'utf8'),
	gatewayPrivateKey: readFileSync(values['gateway-private-key-file'], 'utf8'),
	approveMs: Number(values['approve-ms']),
	log: values.quiet ? () => {} : (line) => console.log(`[codepay-cloud-sim] ${line}`)
});
simulator.setFaults(faults);
console.log(`[codepay-cloud-sim] gateway at ${simulator.url}`);
const stop = () => simulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
