/**
 * Secrets stay on the server. The built client (everything the server can send a browser) and
 * everything a till actually received while pairing and selling hold none of them: not the pairing
 * code, not a staff PIN hash, not the session secret, not the CodePay cloud merchant private key
 * (nor any line of it), nothing of the server's own modules (the gateway client's method names).
 */
import { PGlite } from '@electric-sql/pglite';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addProduct, openTill } from './fixtures';

const config = JSON.parse(readFileSync('config/pos.demo.json', 'utf8')) as {
	pairingCode: string;
	staff: { pinHash: string }[];
};
const artifacts = JSON.parse(
	readFileSync(new URL('./.artifacts/sim.json', import.meta.url), 'utf8')
) as {
	dataDir: string;
	iotpay: { key: string };
	cloud: { merchantKeyFile: string };
};

/** The CodePay cloud merchant key the e2e server signs with (`tests/server.js`), as base64 lines. */
const cloudKeyLines = readFileSync(artifacts.cloud.merchantKeyFile, 'utf8')
	.split('\n')
	.filter((line) => line.length >= 40 && !line.startsWith('-----'));

/** The values themselves, and names that only server code uses. */
let secrets: Record<string, string> = {};

/**
 * The session secret the server generated and keeps in its own database. The running server holds
 * its PGlite directory, so a copy of it is opened here (PGlite recovers it as after a crash).
 */
async function storedSessionSecret(): Promise<string> {
	const copy = mkdtempSync(join(tmpdir(), 'pos-e2e-secret-'));
	try {
		cpSync(join(artifacts.dataDir, 'pglite'), copy, { recursive: true });
		const db = await PGlite.create(copy);
		try {
			const { rows } = await db.query<{ value: string }>(
				`select value from server_secrets where name = 'session'`
			);
			return rows[0]?.value ?? '';
		} finally {
			await db.close();
		}
	} finally {
		rmSync(copy, { recursive: true, force: true });
	}
}

/** The server makes its session secret when it boots, on its first request. */
async function readSecrets(request: APIRequestContext): Promise<void> {
	expect((await request.get('/api/health')).ok()).toBe(true);
	const sessionSecret = await storedSessionSecret();
	expect(sessionSecret.length).toBeGreaterThanOrEqual(32);
	// A 2048-bit PKCS#8 key is some 25 lines of base64: the check below cannot pass on none.
	expect(cloudKeyLines.length).toBeGreaterThan(20);
	secrets = {
		'the pairing code': config.pairingCode,
		...Object.fromEntries(config.staff.map((s, i) => [`staff PIN hash ${i + 1}`, s.pinHash])),
		'the session secret': sessionSecret,
		'the IOT Pay merchant key': artifacts.iotpay.key,
		'the IOT Pay key setting': 'IOTPAY_KEY',
		'a PIN hash field': 'pinHash',
		'the session secret setting': 'POS_SESSION_SECRET',
		'a private key': 'PRIVATE KEY',
		// Any 64-character line of the key's base64 is as unique as the key itself.
		...Object.fromEntries(
			cloudKeyLines.map((line, i) => [`CodePay merchant key line ${i + 1}`, line])
		),
		'the CodePay key setting': 'CODEPAY_MERCHANT_PRIVATE_KEY',
		'the CodePay gateway client': 'wisehub.cloud.pay.order',
		'the server store': 'pglite'
	};
}

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile())
		.map((entry) => join(entry.parentPath, entry.name));
}

function leaks(text: string): string[] {
	return Object.entries(secrets)
		.filter(([, value]) => value.length > 0 && text.includes(value))
		.map(([name]) => name);
}

test.beforeEach(async ({ request }) => {
	await readSecrets(request);
});

test('the built client holds no secret', () => {
	const files = filesUnder('build/client').filter((f) =>
		/\.(js|css|html|json|webmanifest)$/.test(f)
	);
	expect(files.length).toBeGreaterThan(5);
	const found = files.flatMap((f) =>
		leaks(readFileSync(f, 'utf8')).map((what) => `${what} in ${f}`)
	);
	expect(found).toEqual([]);
});

test('what a till receives while pairing, signing in and selling holds no secret', async ({
	page
}) => {
	const received: Promise<string[]>[] = [];
	page.on('response', (response) => {
		received.push(
			response
				.text()
				.then((text) => leaks(text).map((what) => `${what} in ${response.url()}`))
				.catch(() => [])
		);
	});
	await openTill(page);
	await addProduct(page, 'Caffè Latte');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
	await page.getByRole('link', { name: 'Settings' }).click();
	expect(received.length).toBeGreaterThan(5);
	expect((await Promise.all(received)).flat()).toEqual([]);
});

test('a sale through IOT Pay (the server signs with the merchant key) shows the till none of it', async ({
	page
}) => {
	const received: Promise<string[]>[] = [];
	page.on('response', (response) => {
		received.push(
			response
				.text()
				.then((text) => leaks(text).map((what) => `${what} in ${response.url()}`))
				.catch(() => [])
		);
	});
	await openTill(page);
	await addProduct(page, 'Caffè Latte');
	await page.getByRole('button', { name: /^Charge/ }).click();
	await page.getByLabel('Terminal').selectOption({ label: 'IOT Pay PAX (simulator)' });
	await page.getByRole('button', { name: /on card$/ }).click();
	await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
	expect(received.length).toBeGreaterThan(5);
	expect((await Promise.all(received)).flat()).toEqual([]);
});
