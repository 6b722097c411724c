import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeLimits, describeRefusal, offlineCardRefusal } from './offline-limits';

const limits = { perSaleCard: 5_000, totalCard: 20_000 };
const offline = { limits, serverReachable: false, takenUnsynced: 0 };
const money = (minor: number) => `$${(minor / 100).toFixed(2)}`;

describe('offlineCardRefusal', () => {
	it('takes any card payment while the server answers', () => {
		expect(offlineCardRefusal({ ...offline, serverReachable: true, charge: 999_999 })).toBeNull();
	});

	it('takes any card payment when the owner set no limits', () => {
		expect(offlineCardRefusal({ ...offline, limits: undefined, charge: 999_999 })).toBeNull();
		expect(offlineCardRefusal({ ...offline, limits: {}, charge: 999_999 })).toBeNull();
	});

	it('takes a payment up to the per-sale limit, refuses one cent more', () => {
		expect(offlineCardRefusal({ ...offline, charge: 5_000 })).toBeNull();
		expect(offlineCardRefusal({ ...offline, charge: 5_001 })).toEqual({
			limit: 'perSaleCard',
			max: 5_000
		});
	});

	it('counts what is not synced yet against the total', () => {
		expect(offlineCardRefusal({ ...offline, takenUnsynced: 16_000, charge: 4_000 })).toBeNull();
		expect(offlineCardRefusal({ ...offline, takenUnsynced: 16_001, charge: 4_000 })).toEqual({
			limit: 'totalCard',
			max: 20_000,
			left: 3_999
		});
	});

	it('never lets the unsynced card money pass the total', () => {
		fc.assert(
			fc.property(
				fc.nat(50_000),
				fc.array(fc.integer({ min: 1, max: 6_000 }), { maxLength: 30 }),
				(total, charges) => {
					let taken = 0;
					for (const charge of charges) {
						const check = { limits: { totalCard: total }, serverReachable: false, charge };
						if (!offlineCardRefusal({ ...check, takenUnsynced: taken })) taken += charge;
					}
					return taken <= total;
				}
			)
		);
	});
});

describe('describeLimits', () => {
	it('says both limits and what is left of the total', () => {
		expect(describeLimits(limits, 15_000, money)).toBe(
			'The server cannot be reached: card payments up to $50.00 each, $200.00 in all until synced ($50.00 left).'
		);
		expect(describeLimits({ totalCard: 100 }, 500, money)).toMatch(/\(\$0\.00 left\)\.$/);
	});
});

describe('describeRefusal', () => {
	it('tells the cashier the limit and what to do', () => {
		expect(describeRefusal({ limit: 'perSaleCard', max: 5_000 }, money)).toMatch(
			/at most \$50\.00.*take the rest another way/
		);
		expect(describeRefusal({ limit: 'totalCard', max: 20_000, left: 1_000 }, money)).toMatch(
			/total \$200\.00.*\$10\.00 is left/
		);
	});
});
