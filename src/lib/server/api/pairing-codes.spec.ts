/**
 * Pairing a till (issue 8, finding 5): one-time, short-lived codes issued by a manager on a paired
 * till; the configured code pairs the first till only (any number in demo mode); and wrong codes
 * are bounded for the whole store, not only per address.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { openStore } from '../store';
import type { SqlStore } from '../store/sql-store';
import { pairDevice } from './pair';
import { newPairingCode } from './pairing-codes';
import { staffLogin } from './staff-login';
import {
	call,
	pairTill,
	testConfigFile,
	testRuntime,
	TEST_PAIRING_CODE,
	type TestClock
} from './test-harness';

let store: SqlStore;
let clock: TestClock;
let rt: Runtime;

beforeEach(async () => {
	store = await openStore({ dataDir: 'memory://' });
	clock = { now: 1_700_000_000_000 };
	rt = await testRuntime(store, clock);
}, 60_000);

afterEach(async () => {
	await store.close();
});

function pair(code: string, ip = '10.0.0.1', on: Runtime = rt) {
	return call(on, pairDevice, '/api/devices/pair', { body: { code, name: 'New till' }, ip });
}

/** A paired till with `pin`'s staff member signed in. */
async function signedIn(pin: string) {
	const till = await pairTill(rt);
	const login = await call(rt, staffLogin, '/api/auth/login', { body: { pin }, token: till.token });
	expect(login.status).toBe(200);
	return { token: till.token, session: login.body.sessionToken as string };
}

/** Asks for a code on `till`, with a manager's PIN unless another is given. */
function issue(till: { token?: string; session?: string }, pin = '9999') {
	return call(rt, newPairingCode, '/api/devices/pairing-codes', { body: { pin }, ...till });
}

describe('POST /api/devices/pairing-codes', () => {
	it('needs the manager’s PIN for every code: a manager’s session left open is not enough', async () => {
		const manager = await signedIn('9999');
		const open = await call(rt, newPairingCode, '/api/devices/pairing-codes', {
			method: 'POST',
			...manager
		});
		expect(open).toMatchObject({ status: 400 });
		expect(await issue(manager, '4321')).toMatchObject({
			status: 401,
			body: { error: 'wrong_pin' }
		});
		// A cashier at the till gets one when a manager types their PIN, as for a refund.
		expect((await issue(await signedIn('1111'))).status).toBe(200);
	});

	it('gives a manager signed in on a paired till an 8-digit code for 10 minutes', async () => {
		const res = await issue(await signedIn('9999'));
		expect(res).toMatchObject({
			status: 200,
			body: { code: expect.stringMatching(/^\d{8}$/), expiresAt: clock.now + 10 * 60_000 }
		});
		const rows = await store.select<{ code_hash: string }>('select code_hash from pairing_codes');
		expect(JSON.stringify(rows)).not.toContain(res.body.code);
		const [entry] = await store.listAudit({ kind: 'pairing_code_issued', limit: 1 });
		expect(entry).toMatchObject({ staffId: 'morgan' });
	});

	it('refuses a till with nobody signed in, a cashier and an unpaired caller', async () => {
		const till = await pairTill(rt);
		expect(await issue({ token: till.token })).toMatchObject({
			status: 401,
			body: { error: 'not_signed_in' }
		});
		expect(await issue(await signedIn('1111'), '1111')).toMatchObject({
			status: 403,
			body: { error: 'not_a_manager' }
		});
		expect(await issue({})).toMatchObject({ status: 401, body: { error: 'device_not_paired' } });
	});

	it('pairs one till, once, within its 10 minutes', async () => {
		const manager = await signedIn('9999');
		const first = (await issue(manager)).body.code as string;
		const paired = await pair(first);
		expect(paired.status).toBe(200);
		expect((await pair(first, '10.0.0.2')).status).toBe(401);
		const late = (await issue(manager)).body.code as string;
		clock.now += 10 * 60_000;
		expect(await pair(late)).toMatchObject({ status: 401, body: { error: 'wrong_pairing_code' } });
		const [entry] = await store.listAudit({ kind: 'device_paired', limit: 1 });
		expect(entry).toMatchObject({
			deviceId: paired.body.deviceId,
			detail: { with: 'issued_code' }
		});
	});

	it('lets two tills racing with one code pair only one of them', async () => {
		const code = (await issue(await signedIn('9999'))).body.code as string;
		const answers = await Promise.all(
			['10.0.0.5', '10.0.0.6', '10.0.0.7'].map((ip) => pair(code, ip))
		);
		expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
	});
});

describe('the configured pairing code', () => {
	it('pairs only the first till outside demo mode, for every instance on the database', async () => {
		const other = await testRuntime(store, clock);
		expect((await pair(TEST_PAIRING_CODE)).status).toBe(200);
		expect((await pair(TEST_PAIRING_CODE, '10.0.0.1', other)).status).toBe(401);
		expect((await pair(TEST_PAIRING_CODE)).status).toBe(401);
		const [entry] = await store.listAudit({ kind: 'device_paired', limit: 1 });
		expect(entry?.detail.with).toBe('bootstrap_code');
	});

	it('pairs any number of tills in demo mode', async () => {
		const demo = await testRuntime(store, clock, await testConfigFile({ demo: true }));
		for (let i = 0; i < 3; i++)
			expect((await pair(TEST_PAIRING_CODE, '10.0.0.1', demo)).status).toBe(200);
	});
});

describe('wrong pairing codes', () => {
	it('lock pairing for everyone after 180 wrong codes from 20 addresses', async () => {
		const manager = await signedIn('9999');
		const statuses: number[] = [];
		for (let n = 0; n < 180; n++) {
			const code = String(10_000_000 + n * 7919);
			statuses.push((await pair(code, `198.51.100.${n % 20}`)).status);
		}
		// No address reached its own limit (9 each); the store's counter did.
		expect(statuses.filter((s) => s === 401)).toHaveLength(29);
		expect(statuses.slice(29).every((s) => s === 429)).toBe(true);
		const code = (await issue(manager)).body.code as string;
		const fresh = await pair(code, '203.0.113.1');
		expect(fresh).toMatchObject({ status: 429, body: { error: 'too_many_attempts' } });
		expect(Number(fresh.headers.get('retry-after'))).toBe(600);
		const [entry] = await store.listAudit({ kind: 'pairing_lockout', limit: 1 });
		expect(entry?.detail).toMatchObject({ locked: ['pair:store'], lockMs: 600_000 });
		clock.now += 10 * 60_000;
		const later = (await issue(manager)).body.code as string;
		expect((await pair(later, '203.0.113.1')).status).toBe(200);
	});

	it('lock for longer each time', async () => {
		const waits: number[] = [];
		for (let round = 0; round < 3; round++) {
			let answer = await pair('00000000', `192.0.2.${round}`);
			for (let i = 0; answer.status === 401; i++) {
				answer = await pair('00000000', `192.0.2.${round * 40 + (i % 9)}`);
			}
			waits.push(Number(answer.headers.get('retry-after')));
			clock.now += waits.at(-1)! * 1000;
		}
		expect(waits).toEqual([600, 1200, 2400]);
		expect(await store.listAudit({ kind: 'pairing_lockout', limit: 10 })).toHaveLength(3);
	});

	it('still lock one address after 10', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 10; i++) statuses.push((await pair('00000000', '192.0.2.99')).status);
		expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
		expect(statuses[9]).toBe(429);
		expect((await pair(TEST_PAIRING_CODE, '192.0.2.99')).status).toBe(429);
		expect((await pair(TEST_PAIRING_CODE, '192.0.2.100')).status).toBe(200);
	});
});
