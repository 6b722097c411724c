import { describe, expect, it } from 'vitest';
import { Network } from './network.svelte';

describe('Network', () => {
	it('is unreachable once a probe or a sync finds no server, and online once one answers', async () => {
		let answers = false;
		const network = new Network(async () => answers);
		expect(network.serverReachable).toBe(true);
		await network.probe();
		expect(network.state.kind).toBe('unreachable');
		const since = network.state.since;
		network.report(false);
		expect(network.state).toEqual({ kind: 'unreachable', since });
		answers = true;
		await network.probe();
		expect(network.serverReachable).toBe(true);
	});
});
