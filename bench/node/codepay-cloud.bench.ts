/**
 * CodePay cloud signing: signed gateway calls (`order.query`) per second through the server's
 * gateway client against the gateway simulator, 50 at a time, beside raw `crypto.sign` of the
 * same canonical string on this machine. Each call signs once here and verifies once here; the
 * simulator, on the same cores, verifies and signs too, so the ratio counts the whole exchange.
 * Bundled for Node by `bench/bundle.js`; `bench/codepay-cloud.js` calls `run`.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { startCloudGatewaySimulator } from '../../simulators/codepay-cloud/server.js';
import { canonicalString } from '$lib/server/codepay-cloud/canonical';
import { CodePayGateway } from '$lib/server/codepay-cloud/gateway-client';
import { loadPrivateKey, loadPublicKey } from '$lib/server/codepay-cloud/keys';
import { transactionSchema } from '$lib/server/codepay-cloud/schemas';
import { ms, percentile, type Figure } from '../stats';

const pem = (key: { export(o: object): string | Buffer }, type: string) =>
	String(key.export({ type, format: 'pem' }));

export async function run(options: { calls: number; concurrency: number }): Promise<Figure[]> {
	const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const sim = await startCloudGatewaySimulator({
		port: 0,
		merchantPublicKey: pem(merchant.publicKey, 'spki'),
		gatewayPrivateKey: pem(gateway.privateKey, 'pkcs8'),
		approveMs: 10
	});
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
	const callStart = performance.now();
	await Promise.all(Array.from({ length: options.concurrency }, worker));
	const callsPerSecond = options.calls / ((performance.now() - callStart) / 1000);
	await sim.close();
	const ratio = callsPerSecond / rawPerSecond;
	return [
		{ bench: 'codepay-cloud raw crypto.sign', per_second: Math.round(rawPerSecond) },
		{
			bench: 'codepay-cloud signed calls through the gateway client',
			per_second: Math.round(callsPerSecond),
			concurrency: options.concurrency,
			failures,
			ratio_to_raw_sign: Math.round(ratio * 100) / 100,
			target: '>= 0.70 of raw sign',
			ok: ratio >= 0.7 && failures === 0,
			p50_ms: ms(percentile(latencies, 50)),
			p99_ms: ms(percentile(latencies, 99))
		}
	];
}
