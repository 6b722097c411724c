/**
 * CodePay LAN: the POS driver against the simulated terminal on loopback, with no card time.
 * Bundled for Node by `scripts/bundle.js`; `bench/codepay.js` calls `run`.
 *
 * The baselines isolate the POS's own cost: a raw `ws` round trip to an echo server (the floor
 * of any WebSocket exchange here), and a raw `ws` client sending the same sale JSON straight to
 * the simulator (the floor plus the terminal's work).
 */
import WebSocket, { WebSocketServer } from 'ws';
import { startCodePaySimulator } from '../../simulators/codepay-register/server.js';
import type { Outcome } from '$lib/terminals/driver';
import { CodePayLanDriver } from '$lib/terminals/codepay-lan/lan-driver';
import { ms, percentile, type Figure } from '../stats';

const APP_ID = 'APPBENCH';
const silent = { debug: () => {}, warn: () => {} };

export interface CodePayOptions {
	sales: number;
	queries: number;
	warmup: number;
}

function summary(samples: number[]) {
	return {
		p50_ms: ms(percentile(samples, 50)),
		p99_ms: ms(percentile(samples, 99)),
		n: samples.length
	};
}

/** Round trips of `message` to a `ws` server that echoes every frame. */
async function echoRoundTrips(message: string, n: number, warmup: number): Promise<number[]> {
	const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	server.on('connection', (socket) => socket.on('message', (data) => socket.send(data.toString())));
	await new Promise((resolve) => server.once('listening', resolve));
	const { port } = server.address() as { port: number };
	const { samples } = await rawRoundTrips(`ws://127.0.0.1:${port}`, () => message, n, warmup);
	await new Promise((resolve) => server.close(resolve));
	return samples;
}

/** Sequential request/response round trips on one raw `ws` socket. */
async function rawRoundTrips(
	url: string,
	next: (i: number) => string,
	n: number,
	warmup: number,
	accept: (reply: string) => boolean = () => true
): Promise<{ samples: number[]; refused: number }> {
	const socket = new WebSocket(url);
	await new Promise((resolve, reject) => {
		socket.once('open', resolve);
		socket.once('error', reject);
	});
	const samples: number[] = [];
	let refused = 0;
	for (let i = 0; i < n + warmup; i++) {
		const text = next(i);
		const start = performance.now();
		const reply = await new Promise<string>((resolve) => {
			socket.once('message', (data) => resolve(data.toString()));
			socket.send(text);
		});
		if (i >= warmup) samples.push(performance.now() - start);
		if (!accept(reply)) refused++;
	}
	socket.close();
	return { samples, refused };
}

/** A sale envelope as the POS would send it (NOTES.md §1), for the raw baseline. */
function saleJson(no: string, amount: number): string {
	return JSON.stringify({
		topic: 'ecrhub.pay.order',
		app_id: APP_ID,
		request_id: `r-${no}`,
		timestamp: String(Date.now()),
		version: '1.0',
		biz_data: {
			merchant_order_no: no,
			trans_type: '1',
			order_amount: (amount / 100).toFixed(2),
			price_currency: 'USD'
		}
	});
}

export async function run(options: CodePayOptions): Promise<Figure[]> {
	const { sales, queries, warmup } = options;
	const sim = await startCodePaySimulator({ port: 0, host: '127.0.0.1', cardMs: 0, appId: APP_ID });
	const driver = new CodePayLanDriver(
		{ id: 'bench', currency: 'USD', params: { host: '127.0.0.1', port: sim.port, appId: APP_ID } },
		{ WebSocketImpl: WebSocket, logger: silent, heartbeatMs: 0 }
	);
	const figures: Figure[] = [];
	try {
		await driver.connect();
		const run = Date.now().toString(36);
		const approved: { no: string; amount: number; outcome: Outcome }[] = [];
		const saleMs: number[] = [];
		let notApproved = 0;
		for (let i = 0; i < sales + warmup; i++) {
			const no = `S${run}${i}`;
			const amount = 100 + i;
			const start = performance.now();
			const outcome = await driver.sale({ merchantOrderNo: no, amount, tip: 0, currency: 'USD' });
			const took = performance.now() - start;
			if (outcome.status !== 'approved') notApproved++;
			else approved.push({ no, amount, outcome });
			if (i >= warmup) saleMs.push(took);
		}
		const sale = summary(saleMs);
		figures.push({
			bench: 'codepay.sale_round_trip',
			...sale,
			not_approved: notApproved,
			card_ms: 0,
			target: 'informational',
			ok: notApproved === 0
		});

		const sample = saleJson('SAMPLE0000', 1234);
		const echo = summary(await echoRoundTrips(sample, sales, warmup));
		const direct = await rawRoundTrips(
			sim.url,
			(i) => saleJson(`R${run}${i}`, 100 + i),
			sales,
			warmup,
			(reply) => (JSON.parse(reply) as { response_code?: string }).response_code === '000'
		);
		const raw = summary(direct.samples);
		const overhead = sale.p99_ms - echo.p99_ms;
		figures.push({
			bench: 'codepay.pos_overhead',
			p99_added_ms: ms(overhead),
			p50_added_ms: ms(sale.p50_ms - echo.p50_ms),
			echo_p50_ms: echo.p50_ms,
			echo_p99_ms: echo.p99_ms,
			sale_p99_ms: sale.p99_ms,
			// The same sale sent by a bare socket: what of the overhead is the simulator's, not the POS's.
			raw_to_simulator_p50_ms: raw.p50_ms,
			raw_to_simulator_p99_ms: raw.p99_ms,
			driver_only_p99_ms: ms(sale.p99_ms - raw.p99_ms),
			raw_refused: direct.refused,
			target: 'p99_added<5',
			ok: overhead < 5
		});

		let lost = 0;
		let mismatched = 0;
		const start = performance.now();
		for (let i = 0; i < queries; i++) {
			const sold = approved[i % approved.length];
			if (!sold) break;
			try {
				const outcome = await driver.query({
					merchantOrderNo: sold.no,
					kind: 'sale',
					amount: sold.amount,
					currency: 'USD'
				});
				if (
					outcome.status !== 'approved' ||
					outcome.reference !== sold.outcome.reference ||
					outcome.amount !== sold.amount
				) {
					mismatched++;
				}
			} catch {
				lost++;
			}
		}
		const seconds = (performance.now() - start) / 1000;
		const rate = queries / seconds;
		figures.push({
			bench: 'codepay.queries',
			per_s: Math.round(rate),
			n: queries,
			lost,
			mismatched,
			target: 'per_s>=1000,lost+mismatched=0',
			ok: rate >= 1000 && lost === 0 && mismatched === 0
		});
	} finally {
		await driver.disconnect().catch(() => undefined);
		await sim.close();
	}
	return figures;
}
