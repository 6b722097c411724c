/**
 * CodePay cloud through the POS server's own handlers (what `hooks.server.ts` and the router run
 * for a request, over an in-memory PGlite store), against the gateway simulator:
 * - the latency the server adds to a till's "push this sale" (`POST /api/rails/codepay-cloud/orders`):
 *   the handler's time minus the gateway round trip inside it (from the gateway client's log);
 * - notification to till: from a signed notification's arrival at the server to the till's event
 *   stream (`GET /api/rails/codepay-cloud/events`) giving the settled order, read in-process (the
 *   hop to the tablet is the network's, not the server's).
 * Bundled for Node by `scripts/bundle.js`; `bench/codepay-cloud.js` calls `run`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardApi } from '$lib/server/auth/guard';
import { pairTill, call, testConfigFile, testRuntime } from '$lib/server/api/test-harness';
import { pushCloudOrder } from '$lib/server/api/codepay-cloud';
import { cloudEvents } from '$lib/server/api/codepay-cloud-events';
import { staffLogin } from '$lib/server/api/staff-login';
import { CloudRail } from '$lib/server/codepay-cloud/cloud-rail';
import { CodePayGateway, type GatewayLogLine } from '$lib/server/codepay-cloud/gateway-client';
import { startTestGateway } from '$lib/server/codepay-cloud/test-gateway';
import { openPglite } from '$lib/server/store/pglite-client';
import { SqlStore } from '$lib/server/store/sql-store';
import { ms, percentile, type Figure } from '../stats';

export async function run(options: { sales: number; concurrency: number }): Promise<Figure[]> {
	const gw = await startTestGateway(30);
	const store = await SqlStore.open(await openPglite('memory://'));
	const gatewayMs = new Map<string, number>();
	const gateway = new CodePayGateway(gw.credentials, {
		log: (line: GatewayLogLine) => {
			if (line.method === 'wisehub.cloud.pay.order' && line.merchantOrderNo) {
				gatewayMs.set(line.merchantOrderNo, line.latencyMs);
			}
		}
	});
	const file = await testConfigFile({
		terminals: [
			{
				id: 'cloud-1',
				name: 'Cloud terminal',
				rail: 'codepay-cloud',
				currency: 'USD',
				params: { terminalSn: 'WPYB002248000865', storeNo: '4123000005' }
			}
		]
	});
	const base = await testRuntime(store, { now: Date.now() }, file);
	const rail = new CloudRail({
		gateway,
		gatewayPublicKey: gw.credentials.gatewayPublicKey,
		store,
		terminals: base.config.terminals,
		now: Date.now,
		log: () => {}
	});

	// The notification route, as `/api/notify/codepay-cloud` runs it, timed from arrival.
	const notifiedAt = new Map<string, number>();
	const notifyServer = createServer(async (request, response) => {
		const arrived = performance.now();
		let text = '';
		for await (const chunk of request) text += chunk;
		const no = /"merchant_order_no":"([^"]+)"/.exec(text)?.[1];
		if (no && !notifiedAt.has(no)) notifiedAt.set(no, arrived);
		const answer = await rail.notification(text);
		response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
	});
	await new Promise<void>((resolve) => notifyServer.listen(0, '127.0.0.1', resolve));
	const notifyUrl = `http://127.0.0.1:${(notifyServer.address() as AddressInfo).port}/notify`;
	const rt = { ...base, codepayCloud: { configured: true as const, rail, notifyUrl } };
	const { token } = await pairTill(rt);
	const login = await call(rt, staffLogin, '/api/auth/login', { body: { pin: '1111' }, token });
	const session: string = login.body.sessionToken;

	// The till's event stream, read as the browser's EventSource would.
	const streamAbort = new AbortController();
	const tillSawAt = new Map<string, number>();
	const streamUrl = new URL('http://pos.test/api/rails/codepay-cloud/events');
	const streamHeaders = new Headers({
		authorization: `Bearer ${token}`,
		'x-staff-session': session
	});
	const guard = await guardApi(rt, streamUrl.pathname, streamHeaders);
	if (guard.response) throw new Error(`event stream refused: ${guard.response.status}`);
	const events = await cloudEvents(rt, {
		request: new Request(streamUrl, { headers: streamHeaders, signal: streamAbort.signal }),
		url: streamUrl,
		locals: { device: guard.caller.device, staff: guard.caller.staff },
		getClientAddress: () => '10.0.0.1'
	});
	const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
	const reading = readEvents(reader, (no, state) => {
		if (state === 'approved' && !tillSawAt.has(no)) tillSawAt.set(no, performance.now());
	});

	const serverAdded: number[] = [];
	let next = 0;
	let failures = 0;
	const worker = async () => {
		while (next < options.sales) {
			const n = ++next;
			const no = `BENCHS${Date.now()}${n}`;
			const started = performance.now();
			const res = await call(rt, pushCloudOrder, '/api/rails/codepay-cloud/orders', {
				body: {
					terminalId: 'cloud-1',
					attemptId: `att-${n}`,
					merchantOrderNo: no,
					kind: 'sale',
					amount: 1000 + n,
					tip: 0,
					currency: 'USD'
				},
				token,
				session
			});
			const took = performance.now() - started;
			const inGateway = gatewayMs.get(no);
			if (res.status !== 200 || inGateway === undefined) failures++;
			else serverAdded.push(Math.max(0, took - inGateway));
		}
	};
	await Promise.all(Array.from({ length: options.concurrency }, worker));
	// Every sale is approved by the simulated terminal and notified; wait for the stream to say so.
	const deadline = Date.now() + 20_000;
	while (tillSawAt.size < options.sales - failures && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	const toTill: number[] = [];
	for (const [no, seen] of tillSawAt) {
		const arrived = notifiedAt.get(no);
		if (arrived !== undefined) toTill.push(seen - arrived);
	}
	streamAbort.abort();
	await reader.cancel().catch(() => {});
	await reading.catch(() => {});
	notifyServer.close();
	await gw.sim.close();
	await store.close();

	const p99Added = percentile(serverAdded, 99);
	const p99ToTill = percentile(toTill, 99);
	return [
		{
			bench: 'codepay-cloud latency the server adds to a pushed sale',
			sales: options.sales,
			concurrency: options.concurrency,
			failures,
			p50_ms: ms(percentile(serverAdded, 50)),
			p99_ms: ms(p99Added)
		},
		{
			bench: 'codepay-cloud notification to till (server arrival to event stream)',
			notified: toTill.length,
			missing: options.sales - failures - toTill.length,
			p50_ms: ms(percentile(toTill, 50)),
			p99_ms: ms(p99ToTill)
		}
	];
}

async function readEvents(
	reader: ReadableStreamDefaultReader<string>,
	onOrder: (no: string, state: string) => void
) {
	let buffer = '';
	for (;;) {
		const { value, done } = await reader.read();
		if (done) return;
		buffer += value;
		let end: number;
		while ((end = buffer.indexOf('\n\n')) >= 0) {
			const block = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			const data = /^data: (.*)$/m.exec(block)?.[1];
			if (!data) continue;
			const order = JSON.parse(data) as { merchantOrderNo?: string; state?: string };
			if (order.merchantOrderNo && order.state) onOrder(order.merchantOrderNo, order.state);
		}
	}
}
