/**
 * A cashier with a paired till trying to find the manager's PIN (issue 8, finding 2): the attacks
 * that worked, run against the API over a real PGlite, as a till would send them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../runtime';
import { testBackends } from '../store/test-stores';
import type { SqlStore } from '../store/sql-store';
import { managerApproval } from './manager-approval';
import { staffLogin } from './staff-login';
import { hashPin } from '../auth/pin';
import { call, pairTill, testConfigFile, testRuntime, type TestClock } from './test-harness';

/** How many PINs were actually checked against the hashes (the slow part an attacker multiplies). */
const pinChecks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../auth/staff', async (importOriginal) => {
	const original = await importOriginal<typeof import('../auth/staff')>();
	return {
		...original,
		findStaffByPin: (...args: Parameters<typeof original.findStaffByPin>) => {
			pinChecks.count++;
			return original.findStaffByPin(...args);
		}
	};
});

// On the embedded PGlite and on a real PostgreSQL alike (`src/test-global-setup.ts`).
describe.each(testBackends)('on $name', (backend) => {
	let store: SqlStore;
	let clock: TestClock;
	let rt: Runtime;

	beforeEach(async () => {
		store = await backend.open().then((opened) => opened.store);
		clock = { now: 1_700_000_000_000 };
		rt = await testRuntime(store, clock);
	}, 60_000);

	afterEach(async () => {
		await store.close();
	});

	const refund = {
		action: 'refund',
		orderId: 'order-7',
		origAttemptId: 'sale-7',
		origMerchantOrderNo: 'TS1S7',
		amount: 450
	};

	/** A paired till with the cashier signed in on it. */
	async function cashierTill(on: Runtime = rt) {
		const { token, deviceId } = await pairTill(on);
		const login = await call(on, staffLogin, '/api/auth/login', { body: { pin: '1111' }, token });
		expect(login.status).toBe(200);
		return { token, deviceId, session: login.body.sessionToken as string };
	}

	function guessManager(till: { token: string; session?: string }, pin: string, on: Runtime = rt) {
		return call(on, managerApproval, '/api/auth/manager', {
			body: { pin, ...refund },
			token: till.token,
			session: till.session
		});
	}

	function login(till: { token: string }, pin: string, on: Runtime = rt) {
		return call(on, staffLogin, '/api/auth/login', { body: { pin }, token: till.token });
	}

	const guesses = (from: number, count: number) =>
		Array.from({ length: count }, (_, i) => String(from + i).padStart(4, '0'));

	describe('guessing the manager PIN', () => {
		it('is not reset by the cashier signing in between guesses (the cycle attack)', async () => {
			const till = await cashierTill();
			const statuses: number[] = [];
			let pin = 0;
			for (let cycle = 0; cycle < 10; cycle++) {
				for (let i = 0; i < 4; i++)
					statuses.push((await guessManager(till, guesses(pin++, 1)[0]!)).status);
				const own = await login(till, '1111');
				statuses.push(own.status === 200 ? 0 : own.status);
			}
			// Five wrong guesses in all, then every try (guesses and sign-ins alike) waits.
			expect(statuses.filter((s) => s === 401)).toHaveLength(4);
			expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(30);
			// Without a session header the till still counts: the device's counter.
			expect((await guessManager({ token: till.token }, '9999')).status).toBe(429);
		});

		it('checks at most the limit of 150 concurrent guesses, and never lets 9999 through', async () => {
			// The hash at its production cost: the guesses all arrive while the first ones are hashed.
			const file = await testConfigFile({
				staff: [
					{ id: 'casey', name: 'Casey Cashier', role: 'cashier', pinHash: await hashPin('1111') },
					{ id: 'morgan', name: 'Morgan Manager', role: 'manager', pinHash: await hashPin('9999') }
				]
			});
			const slow = await testRuntime(store, clock, file);
			const till = await cashierTill(slow);
			const pins = [...guesses(9000, 149), '9999'];
			const before = pinChecks.count;
			const answers = await Promise.all(pins.map((pin) => guessManager(till, pin, slow)));
			expect(pinChecks.count - before).toBe(5);
			const statuses = answers.map((a) => a.status);
			// Five were checked (four 401, the fifth took the lock and got 429); the rest were refused
			// before the hash.
			expect(statuses.filter((s) => s === 401)).toHaveLength(4);
			expect(statuses.filter((s) => s === 429)).toHaveLength(146);
			expect(statuses).not.toContain(200);
			for (const a of answers.filter((x) => x.status === 429)) {
				expect(a.body).toMatchObject({
					error: 'locked_out',
					message: expect.stringMatching(/Try again in/)
				});
				expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
			}
		}, 120_000);

		it('locks the device longer each time, and the right PIN works once a lock is over', async () => {
			const till = await cashierTill();
			const locks: number[] = [];
			for (let round = 0; round < 4; round++) {
				let answer = await guessManager(till, '0000');
				while (answer.status === 401) answer = await guessManager(till, '0000');
				expect(answer.status).toBe(429);
				const wait = Number(answer.headers.get('retry-after'));
				locks.push(wait);
				// Still locked a second before the end, even for the right PIN.
				clock.now += wait * 1000 - 1000;
				expect((await guessManager(till, '9999')).status).toBe(429);
				clock.now += 1000;
			}
			expect(locks).toEqual([60, 120, 240, 480]);
			const right = await guessManager(till, '9999');
			expect(right).toMatchObject({ status: 200, body: { manager: { id: 'morgan' } } });
		});

		it('writes every lock-out to the audit log, with the till and the staff member', async () => {
			const till = await cashierTill();
			for (let round = 0; round < 2; round++) {
				for (let i = 0; i < 5; i++) await guessManager(till, '0000');
				clock.now += 10 * 60_000;
			}
			const log = await store.listAudit({ kind: 'pin_lockout', limit: 10 });
			expect(log).toHaveLength(2);
			for (const entry of log) {
				expect(entry).toMatchObject({
					kind: 'pin_lockout',
					deviceId: till.deviceId,
					staffId: 'casey',
					detail: { locked: expect.arrayContaining([`pin:device:${till.deviceId}`]) }
				});
			}
			expect(log.map((e) => e.detail.lockMs)).toEqual([120_000, 60_000]);
		});

		it('counts the signed-in cashier across tills, and all tills together', async () => {
			const a = await cashierTill();
			const b = await cashierTill();
			// Casey on till A, then with the same session on till B: sessions are bound to a till, so
			// Casey signs in on B too.
			for (let i = 0; i < 3; i++) expect((await guessManager(a, '0000')).status).toBe(401);
			expect((await guessManager(b, '0001')).status).toBe(401);
			const fifth = await guessManager(b, '0002');
			expect(fifth.status).toBe(429);
			expect((await store.listAudit({ kind: 'pin_lockout', limit: 5 }))[0]?.detail.locked).toEqual([
				'pin:staff:casey'
			]);
			// Till A's pad is not locked for someone else signing in.
			expect((await login(a, '9999')).status).toBe(200);
		});

		it('shares the counters between server instances on one database', async () => {
			const other = await testRuntime(store, clock);
			const till = await cashierTill();
			for (let i = 0; i < 2; i++) expect((await guessManager(till, '0000')).status).toBe(401);
			for (let i = 0; i < 2; i++)
				expect((await guessManager(till, '0000', other)).status).toBe(401);
			expect((await guessManager(till, '0000')).status).toBe(429);
			expect((await guessManager(till, '9999', other)).status).toBe(429);
		});

		it('bounds guesses from many tills by the store-wide counter', async () => {
			const tills = [];
			for (let i = 0; i < 8; i++) tills.push(await pairTill(rt, `Till ${i}`));
			const statuses: number[] = [];
			for (const till of tills) {
				for (let i = 0; i < 4; i++) statuses.push((await login(till, guesses(i, 1)[0]!)).status);
			}
			// 30 wrong PINs lock every till's pad: the 30th took the lock.
			expect(statuses.filter((s) => s === 401)).toHaveLength(29);
			expect(statuses.slice(29).every((s) => s === 429)).toBe(true);
			const [entry] = await store.listAudit({ kind: 'pin_lockout', limit: 1 });
			expect(entry?.detail.locked).toEqual(['pin:store']);
			// The shop keeps working: a till nobody guessed on still takes a right PIN…
			const fresh = await pairTill(rt, 'Fresh till');
			expect((await login(fresh, '1111')).status).toBe(200);
			// …and one wrong guess there, then it waits like the others while the store lock holds.
			const other = await pairTill(rt, 'Another fresh till');
			expect((await login(other, '4321')).status).toBe(401);
			expect((await login(other, '1111')).status).toBe(429);
			expect((await login(tills[0]!, '1111')).status).toBe(429);
		});
	});
});
