/**
 * Who the relay lets in (issue 8, finding 3 and the per-device cap): a paired device with a staff
 * member signed in on it, and no more than its share of the relay's connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_CLOSE } from '$lib/terminals/codepay-lan/relay-protocol';
import { signSession } from '../auth/session-token';
import {
	closed,
	opened,
	relayProtocols,
	startRelayFixture,
	type RelayFixture,
	type Till
} from './relay-fixture';

let f: RelayFixture;
let till: Till;
let other: Till;
let session: string;

beforeAll(async () => {
	f = await startRelayFixture();
	till = await f.pair('till-1');
	other = await f.pair('till-2');
	session = await f.signIn(till);
}, 60_000);

afterAll(() => f.close());

describe('the staff session', () => {
	it('is required as well as the device: without one the relay closes 4403, dialing nothing', async () => {
		const before = f.echo.received.length;
		const connections = f.sim.requests().length;
		const socket = f.connect('echo-1', relayProtocols(till.token));
		expect(await closed(socket)).toMatchObject({ code: RELAY_CLOSE.signInAgain });
		expect(f.echo.received).toHaveLength(before);
		expect(f.sim.requests()).toHaveLength(connections);
	});

	it('must be signed for this device: another till’s session is refused', async () => {
		const theirs = await f.signIn(other);
		const socket = f.connect('echo-1', relayProtocols(till.token, theirs));
		expect(await closed(socket)).toMatchObject({ code: RELAY_CLOSE.signInAgain });
	});

	it('must be signed by the server, unexpired, for a staff member still configured', async () => {
		const secret = f.rt.config.sessionSecret;
		const now = f.rt.now();
		const forged = signSession(
			{ staffId: 'sam', deviceId: till.deviceId, exp: now + 60_000 },
			'not-the-server-secret-0123456789'
		);
		const expired = signSession({ staffId: 'sam', deviceId: till.deviceId, exp: now - 1 }, secret);
		const removed = signSession(
			{ staffId: 'gone', deviceId: till.deviceId, exp: now + 60_000 },
			secret
		);
		for (const bad of [forged, expired, removed, 'v1.x.y']) {
			const socket = f.connect('echo-1', relayProtocols(till.token, bad));
			expect(await closed(socket), bad).toMatchObject({ code: RELAY_CLOSE.signInAgain });
		}
	});

	it('with the device token and a session for it, the terminal is reached', async () => {
		const socket = f.connect('echo-1', relayProtocols(till.token, session));
		await opened(socket);
		expect(socket.protocol).toBe('pos-relay');
	});

	it('a till whose cashier is not signed in is told to sign in again, and sends nothing', async () => {
		const details: string[] = [];
		// No retry during the test: the refusal it shows is the first one.
		const driver = f.driver(till, '', 'sim-lan', {}, { reconnect: { initialMs: 60_000 } });
		driver.on((event) => {
			if (event.type === 'status' && event.detail) details.push(event.detail);
		});
		await driver.connect().catch(() => {});
		await expect.poll(() => details.join(' ')).toContain('Sign in again');
		const error = await driver
			.sale({ merchantOrderNo: 'NOSESSION1', amount: 500, tip: 0, currency: 'USD' })
			.catch((e: unknown) => e);
		expect(error).toMatchObject({
			name: 'TerminalError',
			mayHaveReachedTerminal: false,
			message: expect.stringContaining('Sign in again')
		});
		expect(f.sim.salesFor('NOSESSION1')).toHaveLength(0);
	});
});

describe('the per-device cap', () => {
	it('refuses one till beyond POS_RELAY_MAX_PER_DEVICE with 4503, while another till gets in', async () => {
		const url = await f.startRelay({ POS_RELAY_MAX_PER_DEVICE: '2' });
		const first = f.connect('echo-1', relayProtocols(till.token, session), url);
		const second = f.connect('echo-1', relayProtocols(till.token, session), url);
		await Promise.all([opened(first), opened(second)]);
		const third = f.connect('echo-1', relayProtocols(till.token, session), url);
		expect(await closed(third)).toMatchObject({ code: RELAY_CLOSE.unavailable });

		const theirs = f.connect('echo-1', relayProtocols(other.token, await f.signIn(other)), url);
		await opened(theirs);

		// A slot the till gives back is its own again.
		const gone = closed(first);
		first.close();
		await gone;
		await expect
			.poll(async () => {
				const again = f.connect('echo-1', relayProtocols(till.token, session), url);
				const result = await Promise.race([
					opened(again).then(() => 'open'),
					closed(again).then(({ code }) => String(code))
				]).catch(() => 'closed');
				return result;
			})
			.toBe('open');
	});
});
