import { describe, expect, it } from 'vitest';
import { describeNetwork, nextNetworkState, type NetworkState } from './network-state';

const online: NetworkState = { kind: 'online', since: 0 };

describe('nextNetworkState', () => {
	it('is offline from the moment the browser loses its network', () => {
		const state = nextNetworkState(online, { browserOnline: false, serverReached: null }, 100);
		expect(state).toEqual({ kind: 'offline', since: 100 });
		expect(nextNetworkState(state, { browserOnline: false, serverReached: false }, 200)).toEqual(
			state
		);
	});

	it('says the server is unreachable when the network is up but the server does not answer', () => {
		const state = nextNetworkState(online, { browserOnline: true, serverReached: false }, 100);
		expect(state).toEqual({ kind: 'unreachable', since: 100 });
		// Since when: the first failure, not the latest.
		expect(nextNetworkState(state, { browserOnline: true, serverReached: false }, 500)).toEqual(
			state
		);
	});

	it('keeps "since" from going offline while the server is not heard from again', () => {
		const offline = nextNetworkState(online, { browserOnline: false, serverReached: null }, 100);
		expect(nextNetworkState(offline, { browserOnline: true, serverReached: null }, 300)).toEqual({
			kind: 'unreachable',
			since: 100
		});
	});

	it('is online again only once the server answers', () => {
		const down: NetworkState = { kind: 'unreachable', since: 100 };
		expect(nextNetworkState(down, { browserOnline: true, serverReached: true }, 900)).toEqual({
			kind: 'online',
			since: 900
		});
	});

	it('stays online while nothing has failed', () => {
		expect(nextNetworkState(online, { browserOnline: true, serverReached: null }, 900)).toBe(
			online
		);
	});
});

describe('describeNetwork', () => {
	const time = (at: number) => `t${at}`;
	it('says since when for trouble', () => {
		expect(describeNetwork(online, time).label).toBe('Online');
		expect(describeNetwork({ kind: 'offline', since: 5 }, time).label).toBe('Offline since t5');
		expect(describeNetwork({ kind: 'unreachable', since: 7 }, time).label).toBe(
			'Server unreachable since t7'
		);
	});
});
