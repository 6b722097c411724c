/**
 * Pay by link: from the cashier's "Pay by link" (the till's checkout request reaching the server)
 * to the QR code's SVG: the order recorded in the store (PGlite), the signed `pay.checkout` to the
 * gateway simulator on loopback and its signed answer verified, then the `pay_url` drawn as an SVG
 * QR code, as the till draws it. The browser's paint of the SVG is not in it.
 * Bundled for Node by `bench/bundle.js`; `bench/hosted-link.js` calls `run`.
 */
import { generateKeyPairSync } from 'node:crypto';
import encodeQR from 'qr';
import { CloudRail } from '$lib/server/codepay-cloud/cloud-rail';
import { CodePayGateway } from '$lib/server/codepay-cloud/gateway-client';
import { loadPrivateKey, loadPublicKey } from '$lib/server/codepay-cloud/keys';
import { HostedCheckout } from '$lib/server/codepay-hosted/hosted-checkout';
import { openCheckout } from '$lib/server/codepay-hosted/open-checkout';
import { openPglite } from '$lib/server/store/pglite-client';
import { SqlStore } from '$lib/server/store/sql-store';
import type { TerminalConfig } from '$lib/terminals/driver';
import { startCloudGatewaySimulator } from '../../simulators/codepay-cloud/server.js';
import { ms, percentile, type Figure } from '../stats';

const pem = (key: { export(o: object): string | Buffer }, type: string) =>
	String(key.export({ type, format: 'pem' }));

/** What a cashier would call instant: the QR is up before they look at the customer. */
const TARGET_P95_MS = 300;

export async function run(options: { samples: number }): Promise<Figure[]> {
	const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const sim = await startCloudGatewaySimulator({
		port: 0,
		merchantPublicKey: pem(merchant.publicKey, 'spki'),
		gatewayPrivateKey: pem(gateway.privateKey, 'pkcs8')
	});
	sim.setFaults({ noNotification: true });
	const store = await SqlStore.open(await openPglite('memory://'));
	const terminal: TerminalConfig = {
		id: 'link-1',
		name: 'Pay by link',
		rail: 'codepay-link',
		currency: 'USD',
		params: { allowOptions: 'Card,ApplePay' }
	};
	const rail = new CloudRail({
		gateway: new CodePayGateway(
			{
				gatewayUrl: sim.url,
				appId: 'sim-cloud-app',
				merchantNo: '302300000926',
				privateKey: loadPrivateKey(pem(merchant.privateKey, 'pkcs8')),
				gatewayPublicKey: loadPublicKey(pem(gateway.publicKey, 'spki'))
			},
			{ log: () => {} }
		),
		gatewayPublicKey: loadPublicKey(pem(gateway.publicKey, 'spki')),
		store,
		terminals: [terminal],
		now: Date.now,
		log: () => {}
	});
	const hosted = new HostedCheckout({ rail, now: Date.now, log: () => {} });
	const lines = [
		{ name: 'Flat white', code: 'FW', quantity: 2, unitPrice: 450, amount: 900 },
		{ name: 'Butter Croissant', code: 'BC', quantity: 1, unitPrice: 375, amount: 375 }
	];
	const once = async (i: number) => {
		const started = performance.now();
		const opened = await openCheckout(hosted, {
			kind: 'link',
			deviceId: 'bench-till',
			terminal,
			merchantOrderNo: `BENCH${Date.now()}${i}`,
			amount: 1275,
			currency: 'USD',
			lines,
			notifyUrl: 'http://127.0.0.1:9/api/notify/codepay-cloud',
			returnBase: 'http://127.0.0.1:3000/pay-return'
		});
		if (!opened.order.payUrl) throw new Error(`no pay_url (${opened.order.state})`);
		const svg = encodeQR(opened.order.payUrl, 'svg', { ecc: 'medium', border: 2 });
		if (!svg.startsWith('<svg')) throw new Error('no SVG');
		return performance.now() - started;
	};
	for (let i = 0; i < 5; i++) await once(-i);
	const samples: number[] = [];
	for (let i = 0; i < options.samples; i++) samples.push(await once(i));
	await sim.close();
	await store.close();
	const p95 = percentile(samples, 95);
	return [
		{
			bench: 'pay by link: checkout request to QR SVG (store, signed pay.checkout, QR)',
			samples: samples.length,
			p50_ms: ms(percentile(samples, 50)),
			p95_ms: ms(p95),
			target: `p95 <= ${TARGET_P95_MS} ms`,
			ok: p95 <= TARGET_P95_MS
		}
	];
}
