// The CodePay Register simulator for a test that runs it inside a network namespace
// (`private-net.ts`), with a loopback-free control endpoint of this test only on the same address:
//   node tests/netns/simulator.js <host> <port> <control port> <app id>
//   GET /connections · GET /transactions · GET /requests
// Prints "ready" once both listen.
import { createServer } from 'node:http';
import { startCodePaySimulator } from '../../simulators/codepay-register/server.js';

const [host = '127.0.0.1', port = '35779', controlPort = '35790', appId = 'sim-app-id'] =
	process.argv.slice(2);
const sim = await startCodePaySimulator({ host, port: Number(port), appId, log: () => {} });
const routes = {
	'/connections': () => sim.connections(),
	'/transactions': () => sim.transactions(),
	'/requests': () => sim.requests()
};
const control = createServer((request, response) => {
	const route = routes[/** @type {keyof typeof routes} */ (request.url ?? '')];
	if (request.method !== 'GET' || !route) return response.writeHead(404).end();
	response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(route()));
});
await new Promise((resolve) => control.listen(Number(controlPort), host, () => resolve(undefined)));
console.log('ready');
const stop = async () => {
	control.close();
	await sim.close();
	process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
