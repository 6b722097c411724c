import { describe, expect, it } from 'vitest';
import { allRails } from './registry';
import { railNeedsServer, terminalUnavailableReason } from './needs-server';

describe('railNeedsServer', () => {
	it('is true for the cloud rails only', () => {
		const needing = allRails()
			.map((rail) => rail.id)
			.filter((rail) => railNeedsServer(rail));
		expect(needing).toEqual(['codepay-cloud', 'iotpay-pax', 'codepay-link', 'codepay-card']);
	});
});

describe('terminalUnavailableReason', () => {
	const cloud = { rail: 'codepay-cloud' as const };
	const lan = { rail: 'codepay-lan' as const };

	it('disables a terminal that needs the server while the server cannot be reached', () => {
		expect(terminalUnavailableReason(cloud, { kind: 'unreachable', since: 1 })).toMatch(
			/cannot be reached/
		);
		expect(terminalUnavailableReason(cloud, { kind: 'offline', since: 1 })).toMatch(/offline/);
		expect(terminalUnavailableReason(cloud, { kind: 'online', since: 1 })).toBeNull();
	});

	it('never disables a terminal the till reaches by itself', () => {
		expect(terminalUnavailableReason(lan, { kind: 'unreachable', since: 1 })).toBeNull();
		expect(terminalUnavailableReason(lan, { kind: 'offline', since: 1 })).toBeNull();
	});
});
