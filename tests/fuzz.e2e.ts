/**
 * Hostile input at every API route (issue 8 §5, "no 500 for any malformed input"): random and
 * hostile bodies, headers and query strings, against the real built server. Whatever comes in, the
 * answer is a 4xx (or a 2xx where the input happened to be valid), never a 5xx, and the server
 * stays healthy: `/api/health` answers and a new till can still pair.
 *
 * The fuzz runs against a server of its own (`pos-server.ts`, the demo configuration): it makes
 * wrong PIN and pairing guesses, and the lock-outs those trip must not reach the tests that share
 * the Playwright server. Routes are listed from `src/routes/api`, so a new route is fuzzed too.
 * Bounded and repeatable: a fixed seed (FUZZ_SEED to change it) and FUZZ_RUNS runs; to hunt,
 * FUZZ_KEEP_GOING=1 lists every failure rather than the first, FUZZ_LOG=1 prints every probe.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { CASHIER_PIN, MANAGER_PIN, PAIRING_CODE } from './fixtures';
import {
	approval,
	describeProbe,
	order,
	probes,
	RELAY_PATH,
	type Probe,
	type Route,
	type Till
} from './fuzz-requests';
import { startPosServer, type PosServer } from './pos-server';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

let server: PosServer;
let api: APIRequestContext;
let port = 0;
/** A paired till and its cashier's session, so the fuzz reaches past the guard. */
let till: Till = { deviceId: '', token: '', session: '' };

/** Every `+server.ts` under `src/routes/api`, with the methods it exports. */
function apiRoutes(): Route[] {
	const root = 'src/routes/api';
	return readdirSync(root, { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('+server.ts'))
		.map((file) => {
			const dir = file.replace(/[\\/]?\+server\.ts$/, '').replaceAll('\\', '/');
			const source = readFileSync(join(root, file), 'utf8');
			const methods = [
				...source.matchAll(
					/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g
				)
			].map((m) => m[1]!);
			// A parameter ([id]) gets a value of the fuzz's choosing below.
			return { path: `/api/${dir}`, methods };
		})
		.sort((a, b) => a.path.localeCompare(b.path));
}

const routes = apiRoutes();

async function pairTill(name: string): Promise<{ deviceId: string; token: string }> {
	const paired = await api.post('/api/devices/pair', { data: { code: PAIRING_CODE, name } });
	expect(paired.status()).toBe(200);
	return paired.json();
}

test.beforeAll(async () => {
	// The CodePay cloud rail configured (its gateway not there): its routes get fuzzed past the
	// "not configured" answer too.
	const pem = (key: { export(o: object): string | Buffer }, type: string) =>
		String(key.export({ type, format: 'pem' }));
	const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
	server = await startPosServer({
		BODY_SIZE_LIMIT: undefined,
		CODEPAY_GATEWAY_URL: 'http://127.0.0.1:42098/api/entry',
		CODEPAY_APP_ID: 'fuzz-app',
		CODEPAY_MERCHANT_NO: '302300000926',
		CODEPAY_MERCHANT_PRIVATE_KEY: pem(keys.privateKey, 'pkcs8'),
		CODEPAY_GATEWAY_PUBLIC_KEY: pem(keys.publicKey, 'spki')
	});
	port = Number(new URL(server.origin).port);
	api = await request.newContext({ baseURL: server.origin });
	const { deviceId, token } = await pairTill('Fuzz till');
	const login = await api.post('/api/auth/login', {
		data: { pin: CASHIER_PIN },
		headers: { authorization: `Bearer ${token}` }
	});
	expect(login.status()).toBe(200);
	till = { deviceId, token, session: (await login.json()).sessionToken };
});

test.afterAll(async () => {
	await api?.dispose();
	await server?.stop();
});

/** Sends one probe over plain HTTP: the status, or 0 when the server hung up without answering. */
function send(p: Probe): Promise<number> {
	return new Promise((resolve, reject) => {
		const body = p.body === undefined ? undefined : Buffer.from(p.body, 'utf8');
		const req = httpRequest(
			{
				host: '127.0.0.1',
				port,
				// A connection per probe: a reused one the server closed as idle would fail the probe.
				agent: false,
				method: p.method,
				path: p.path,
				headers: { ...p.headers, ...(body ? { 'content-length': String(body.length) } : {}) }
			},
			(res) => {
				// An event stream (the cloud rail's) never ends by itself: its status is the answer.
				if (String(res.headers['content-type']).startsWith('text/event-stream')) {
					resolve(res.statusCode ?? 0);
					res.destroy();
					return;
				}
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

async function healthy(): Promise<void> {
	const health = await api.get('/api/health');
	expect(health.status()).toBe(200);
	expect(await health.json()).toMatchObject({ ok: true });
	const paired = await pairTill('Till after the fuzz');
	expect(paired.token).toMatch(/^[A-Za-z0-9_-]{16,}$/);
}

test('the route list covers the API', () => {
	const paths = routes.map((r) => r.path);
	for (const known of [
		'/api/auth/login',
		'/api/auth/manager',
		'/api/catalog',
		'/api/config',
		'/api/devices/pair',
		'/api/health',
		'/api/orders',
		'/api/sync'
	])
		expect(paths).toContain(known);
	for (const route of routes) expect(route.methods.length, route.path).toBeGreaterThan(0);
});

test('every API route answers random and hostile requests without a 5xx', async () => {
	test.setTimeout(120_000);
	const failures: string[] = [];
	const seen = new Map<number, number>();
	const result = await fc.check(
		fc.asyncProperty(
			probes(routes, () => till),
			async (p) => {
				const status = await send(p).catch((error: Error) => error.message);
				if (typeof status === 'number') seen.set(status, (seen.get(status) ?? 0) + 1);
				if (process.env.FUZZ_LOG) console.log(status, describeProbe(p).slice(0, 160));
				if (typeof status === 'number' && status < 500) return true;
				failures.push(`${status} for ${describeProbe(p)}`);
				return Boolean(process.env.FUZZ_KEEP_GOING);
			}
		),
		{ seed: SEED, numRuns: RUNS, endOnFailure: true }
	);
	// fast-check's own report would print the whole (possibly huge) request.
	expect(
		failures,
		`FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}, failed after ${result.numRuns} runs`
	).toEqual([]);
	console.log(`Fuzz statuses: ${JSON.stringify(Object.fromEntries(seen))}`);
	await healthy();
});

test('the hostile inputs found by probing answer 400', async () => {
	const staff = { authorization: `Bearer ${till.token}`, 'x-staff-session': till.session };
	const json = { ...staff, 'content-type': 'application/json' };
	const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
	const cases: {
		what: string;
		method: string;
		path: string;
		body?: string;
		headers?: Record<string, string>;
	}[] = [
		{ what: 'a NUL in the order search', method: 'GET', path: '/api/orders?q=%00', headers: staff },
		{
			what: 'a NUL amid the order search',
			method: 'GET',
			path: '/api/orders?q=TS%001',
			headers: staff
		},
		{ what: 'a NUL as the day', method: 'GET', path: '/api/orders?day=%00', headers: staff },
		{
			what: 'a day that is no date',
			method: 'GET',
			path: '/api/orders?day=2026-13-45',
			headers: staff
		},
		{
			what: 'the 30th of February',
			method: 'GET',
			path: '/api/orders?day=2026-02-30',
			headers: staff
		},
		{
			what: 'a NUL in a pairing name',
			method: 'POST',
			path: '/api/devices/pair',
			body: JSON.stringify({ code: PAIRING_CODE, name: 'Till\u00001' }),
			headers: { 'content-type': 'application/json' }
		},
		{
			what: 'a lone surrogate in a pairing name',
			method: 'POST',
			path: '/api/devices/pair',
			body: JSON.stringify({ code: PAIRING_CODE, name: 'Till \ud800' }),
			headers: { 'content-type': 'application/json' }
		},
		{
			what: 'a NUL in a key of a pairing',
			method: 'POST',
			path: '/api/devices/pair',
			body: JSON.stringify({ code: PAIRING_CODE, name: 'Till', 'x\u0000': 1 }),
			headers: { 'content-type': 'application/json' }
		},
		{
			what: 'JSON nested 5,000 deep in a pairing',
			method: 'POST',
			path: '/api/devices/pair',
			body: `{"code":"${PAIRING_CODE}","name":"Till","x":${deep(5000)}}`,
			headers: { 'content-type': 'application/json' }
		},
		{
			what: 'a NUL in an approval action',
			method: 'POST',
			path: '/api/auth/manager',
			body: JSON.stringify({ ...approval, action: 'refund\u0000' }),
			headers: json
		},
		{
			what: 'a NUL in an approval order id',
			method: 'POST',
			path: '/api/auth/manager',
			body: JSON.stringify({ ...approval, orderId: 'o\u00001' }),
			headers: json
		},
		{
			what: 'JSON nested 5,000 deep in an approval',
			method: 'POST',
			path: '/api/auth/manager',
			body: `{"pin":"${MANAGER_PIN}","action":"void","x":${deep(5000)}}`,
			headers: json
		},
		{
			what: 'a NUL in a PIN',
			method: 'POST',
			path: '/api/auth/login',
			body: JSON.stringify({ pin: '11\u000011' }),
			headers: json
		},
		{
			what: 'JSON nested 5,000 deep in a sync upload',
			method: 'POST',
			path: '/api/sync',
			body: `{"deviceId":"${till.deviceId}","orders":[${JSON.stringify(order).slice(0, -1)},"x":${deep(5000)}}]}`,
			headers: json
		}
	];
	const answers = [];
	for (const c of cases) {
		const status = await send({
			method: c.method,
			path: c.path,
			body: c.body,
			headers: c.headers ?? {}
		});
		answers.push({ what: c.what, status });
	}
	expect(answers).toEqual(cases.map((c) => ({ what: c.what, status: 400 })));
	await healthy();
});

/** Raw bytes to the server, and whatever it answers before it closes (or 2 s pass). */
function raw(bytes: string): Promise<string> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		let answer = '';
		const done = () => {
			socket.destroy();
			resolve(answer);
		};
		socket.setTimeout(2000, done);
		socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
		socket.on('end', done);
		socket.on('error', done);
		socket.write(bytes, 'latin1');
	});
}

test('malformed requests and relay upgrades are refused with a 4xx', async () => {
	const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
	const upgrade = (path: string, extra: string[]) =>
		head([
			`GET ${path} HTTP/1.1`,
			'Host: localhost',
			'Upgrade: websocket',
			'Connection: Upgrade',
			...extra
		]);
	const key = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==';
	const cases: Record<string, string> = {
		'content-length that is not a number': head([
			'POST /api/devices/pair HTTP/1.1',
			'Host: localhost',
			'Content-Type: application/json',
			'Content-Length: abc'
		]),
		'two content-lengths': head([
			'POST /api/devices/pair HTTP/1.1',
			'Host: localhost',
			'Content-Type: application/json',
			'Content-Length: 2',
			'Content-Length: 3'
		]),
		'a NUL in a header': head([
			'GET /api/config HTTP/1.1',
			'Host: localhost',
			'X-Staff-Session: v1\u0000'
		]),
		'a 40 kB authorization header': head([
			'GET /api/config HTTP/1.1',
			'Host: localhost',
			`Authorization: Bearer ${'A'.repeat(40_000)}`
		]),
		'a path that is not percent-encoding': head(['GET /api/%E0%A4%A HTTP/1.1', 'Host: localhost']),
		'an upgrade without a key': upgrade(RELAY_PATH, [
			'Sec-WebSocket-Version: 13',
			'Sec-WebSocket-Protocol: pos-relay'
		]),
		'an upgrade without the relay protocol': upgrade(`${RELAY_PATH}?terminal=codepay-1`, [
			key,
			'Sec-WebSocket-Version: 13',
			`Sec-WebSocket-Protocol: token.${till.token}`
		]),
		'an upgrade of another version': upgrade(RELAY_PATH, [
			key,
			'Sec-WebSocket-Version: 99',
			'Sec-WebSocket-Protocol: pos-relay'
		]),
		'an upgrade with junk protocols': upgrade(`${RELAY_PATH}?terminal=%00`, [
			key,
			'Sec-WebSocket-Version: 13',
			'Sec-WebSocket-Protocol: ,,,;;;, token.'
		]),
		'an upgrade elsewhere under /api': upgrade('/api/sync', [key, 'Sec-WebSocket-Version: 13'])
	};
	for (const [what, bytes] of Object.entries(cases)) {
		const answer = await raw(bytes);
		const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
		expect({ what, status: status?.[0] }, answer.slice(0, 200)).toEqual({ what, status: '4' });
	}

	// Well-formed upgrades with hostile contents: refused with the relay's close codes, 44xx/45xx.
	const closes: { what: string; code: number }[] = [];
	const attempts: [string, string, string[]][] = [
		['no token', `?terminal=codepay-1`, ['pos-relay']],
		['a garbage token', `?terminal=codepay-1`, ['pos-relay', 'token.%%%']],
		['a huge token', `?terminal=codepay-1`, ['pos-relay', `token.${'A'.repeat(4000)}`]],
		['an unknown terminal', '?terminal=%00%ED%A0%80', ['pos-relay', `token.${till.token}`]],
		['no terminal', '', ['pos-relay', `token.${till.token}`]]
	];
	for (const [what, search, protocols] of attempts) {
		const code = await new Promise<number>((resolve) => {
			const socket = new WebSocket(`ws://127.0.0.1:${port}${RELAY_PATH}${search}`, protocols);
			socket.on('error', () => resolve(-1));
			socket.on('close', (c) => resolve(c));
		});
		closes.push({ what, code });
	}
	for (const { what, code } of closes)
		expect({ what, ok: code >= 4400 && code < 4600 }, String(code)).toEqual({ what, ok: true });
	await healthy();
});
