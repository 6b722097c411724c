#!/usr/bin/env node
/**
 * Start the CodePay Register simulator:
 *   node simulators/codepay-register/cli.js [--port 35779] [--host 0.0.0.0] [--app-id ID]
 *        [--profile codepay|wisecashier] [--card-ms 800] [--currency USD] [--fault name[=value]]...
 * e.g. `--fault decline --fault slowMs=5000`. Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startCodePaySimulator } from './server.js';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '35779' },
		host: { type: 'string', default: '127.0.0.1' },
		'app-id': { type: 'string', default: 'sim-app-id' },
		profile: { type: 'string', default: 'codepay' },
		'card-ms': { type: 'string', default: '800' },
		currency: { type: 'string', default: 'USD' },
		fault: { type: 'string', multiple: true, default: [] },
		quiet: { type: 'boolean', default: false }
	}
});

const profile = values.profile === 'wisecashier' ? 'wisecashier' : 'codepay';
/** @type {Record<string, unknown>} */
const faults = {};
for (const item of values.fault ?? []) {
	const [name = '', raw] = item.split('=');
	faults[name] =
		raw === undefined ? true : /^\d+$/.test(raw) ? Number(raw) : raw === 'false' ? false : raw;
}

const simulator = await startCodePaySimulator({
	port: Number(values.port),
	host: values.host,
	appId: values['app-id'],
	profile,
	cardMs: Number(values['card-ms']),
	currency: values.currency,
	log: values.quiet ? () => {} : (line) => console.log(`[codepay-sim] ${line}`)
});
simulator.setFaults(faults);
console.log(
	`[codepay-sim] ${profile} terminal listening on ${simulator.url} (app id "${values['app-id']}")`
);

const stop = async () => {
	await simulator.close();
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
