/**
 * CodePay cloud signing: signed gateway calls (`order.query`) per second through the server's
 * gateway client against the gateway simulator (its own process, as a gateway is), 50 at a time,
 * beside raw `crypto.sign` of the same canonical string in this process. Each call signs and
 * verifies once here; the simulator verifies and signs too, on the same two cores.
 * Bundled for Node by `bench/bundle.js`; `bench/codepay-cloud.js` calls `run`.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalString } from '$lib/server/codepay-cloud/canonical';
import { CodePayGateway } from '$lib/server/codepay-cloud/gateway-client';
import { httpPost } from '$lib/server/http-post';
import { loadPrivateKey, loadPublicKey } from '$lib/server/codepay-cloud/keys';
import { transactionSchema } from '$lib/server/codepay-cloud/schemas';
import { ms, percentile, type Figure } from '../stats';

const pem = (key: { export(o: object): string | Buffer }, type: string) =>
	String(key.export({ type, format: 'pem' }));

/** CPU time (user + system) of another process so far, from Linux's /proc (ticks of 10 ms). */
function childCpuMs(pid: number | undefined): number {
	if (!pid) return NaN;
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function run(options: { calls: number; concurrency: number }): Promise<Figure[]> {
	const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const dir = mkdtempSync(join(tmpdir(), 'pos-bench-cloud-'));
	writeFileSync(join(dir, 'merchant.pem'), pem(merchant.publicKey, 'spki'));
	writeFileSync(join(dir, 'gateway.pem'), pem(gateway.privateKey, 'pkcs8'));
	const child = spawn(
		process.execPath,
		[
			'simulators/codepay-cloud/cli.js',
			'--port',
			'0',
			'--quiet',
			'--approve-ms',
			'10',
			'--merchant-public-key-file',
			join(dir, 'merchant.pem'),
			'--gateway-private-key-file',
			join(dir, 'gateway.pem')
		],
		{ stdio: ['ignore', 'pipe', 'inherit'] }
	);
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const found = /gateway at (\S+)/.exec(out);
			if (found?.[1]) resolve(found[1]);
		});
		child.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
	});
	const sim = {
		url,
		close: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
			rmSync(dir, { recursive: true, force: true });
		}
	};
	const client = new CodePayGateway(
		{
			gatewayUrl: sim.url,
			appId: 'sim-cloud-app',
			merchantNo: '302300000926',
			privateKey: loadPrivateKey(pem(merchant.privateKey, 'pkcs8')),
			gatewayPublicKey: loadPublicKey(pem(gateway.publicKey, 'spki'))
		},
		{ log: () => {} }
	);
	// One order to ask about; every call is a full signed round trip.
	await client.call(
		'pushOrder',
		{
			terminal_sn: 'SN',
			message_receiving_application: 'CodePay Register',
			price_currency: 'USD',
			order_amount: 1,
			trans_type: 1,
			merchant_order_no: 'BENCH1',
			description: 'bench',
			expires: 60,
			api_version: '2.0'
		},
		transactionSchema.partial()
	);

	// Raw crypto.sign of a canonical string the size of a query's.
	const text = canonicalString({
		app_id: 'sim-cloud-app',
		charset: 'UTF-8',
		format: 'JSON',
		merchant_no: '302300000926',
		merchant_order_no: 'BENCH1',
		method: 'order.query',
		sign_type: 'RSA2',
		timestamp: String(Date.now()),
		version: '1.0'
	});
	const data = Buffer.from(text);
	for (let i = 0; i < 50; i++) sign('sha256', data, merchant.privateKey);
	const rawStart = performance.now();
	for (let i = 0; i < options.calls; i++) sign('sha256', data, merchant.privateKey);
	const rawPerSecond = options.calls / ((performance.now() - rawStart) / 1000);

	// The floor of any call here: an unsigned round trip, on the client's own transport, to a
	// server that answers at once.
	const echo = createServer((request, response) => {
		request.resume();
		request.on('end', () => response.end('{"code":"0"}'));
	});
	await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
	const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
	let sent = 0;
	const fetchStart = performance.now();
	await Promise.all(
		Array.from({ length: options.concurrency }, async () => {
			while (sent < options.calls) {
				sent++;
				await httpPost(echoUrl, text, { timeoutMs: 20_000, contentType: 'application/json' });
			}
		})
	);
	const fetchPerSecond = options.calls / ((performance.now() - fetchStart) / 1000);
	echo.close();

	const latencies: number[] = [];
	let next = 0;
	let failures = 0;
	const worker = async () => {
		while (next < options.calls) {
			next++;
			const started = performance.now();
			const result = await client.call(
				'queryOrder',
				{ merchant_order_no: 'BENCH1' },
				transactionSchema
			);
			latencies.push(performance.now() - started);
			if (result.kind !== 'ok') failures++;
		}
	};
	const simCpu0 = childCpuMs(child.pid);
	const cpu0 = process.cpuUsage();
	const callStart = performance.now();
	await Promise.all(Array.from({ length: options.concurrency }, worker));
	const wallMs = performance.now() - callStart;
	const callsPerSecond = options.calls / (wallMs / 1000);
	const cpu = process.cpuUsage(cpu0);
	const posCpuMs = (cpu.user + cpu.system) / 1000;
	const simCpuMs = childCpuMs(child.pid) - simCpu0;
	await sim.close();
	const ratio = callsPerSecond / rawPerSecond;
	return [
		{ bench: 'codepay-cloud raw crypto.sign', per_second: Math.round(rawPerSecond) },
		{
			bench: 'codepay-cloud unsigned round trip (floor)',
			per_second: Math.round(fetchPerSecond),
			concurrency: options.concurrency
		},
		{
			bench: 'codepay-cloud signed calls through the gateway client',
			per_second: Math.round(callsPerSecond),
			concurrency: options.concurrency,
			failures,
			ratio_to_raw_sign: Math.round(ratio * 100) / 100,
			ratio_to_fetch_floor: Math.round((callsPerSecond / fetchPerSecond) * 100) / 100,
			target: '>= 0.70 of raw sign',
			ok: ratio >= 0.7 && failures === 0,
			p50_ms: ms(percentile(latencies, 50)),
			p99_ms: ms(percentile(latencies, 99)),
			// Where the two cores went: this process (the POS's gateway client: sign, verify, HTTP)
			// and the simulator's, per call, beside one raw signature.
			pos_cpu_ms_per_call: ms(posCpuMs / options.calls),
			gateway_sim_cpu_ms_per_call: ms(simCpuMs / options.calls),
			raw_sign_ms: ms(1000 / rawPerSecond)
		}
	];
}
