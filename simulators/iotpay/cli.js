#!/usr/bin/env node
/**
 * Start the IOT Pay simulator:
 *   node simulators/iotpay/cli.js [--port 35781] [--host 127.0.0.1] [--mch-id ID] [--card-ms 1500]
 *        [--fault name[=value]]...
 * The merchant key comes from `IOTPAY_KEY` (never a command-line argument, which `ps` shows).
 * e.g. `--fault decline --fault slowMs=5000`. Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startIotPaySimulator } from './server.js';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '35781' },
		host: { type: 'string', default: '127.0.0.1' },
		'mch-id': { type: 'string', default: '10000576' },
		'card-ms': { type: 'string', default: '1500' },
		fault: { type: 'string', multiple: true, default: [] },
		quiet: { type: 'boolean', default: false }
	}
});

const key = process.env.IOTPAY_KEY;
if (!key) {
	console.error('IOT Pay simulator: set IOTPAY_KEY to the merchant key to use.');
	process.exit(2);
}
/** @type {Record<string, unknown>} */
const faults = {};
for (const item of values.fault ?? []) {
	const [name = '', raw] = item.split('=');
	faults[name] = raw === undefined ? true : /^\d+$/.test(raw) ? Number(raw) : raw;
}

const simulator = await startIotPaySimulator({
	port: Number(values.port),
	host: values.host,
	mchId: values['mch-id'],
	key,
	cardMs: Number(values['card-ms']),
	log: values.quiet ? () => {} : (line) => console.log(`[iotpay-sim] ${line}`)
});
simulator.setFaults(faults);
console.log(`[iotpay-sim] IOT Pay simulator at ${simulator.url} (merchant ${simulator.mchId})`);

const stop = () => void simulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
