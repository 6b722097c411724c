import { describe, expect, it } from 'vitest';
import { hashPin } from '../auth/pin';
import type { StaffRecord } from '../store/shop-store';
import { pinHolder, refuseStaffChange } from './staff-rules';

const member = (id: string, role: StaffRecord['role'], active = true): StaffRecord => ({
	id,
	name: id,
	role,
	pinHash: 'scrypt$2$a$b',
	active
});

describe('refuseStaffChange', () => {
	const all = [member('olga', 'owner'), member('max', 'manager'), member('cass', 'cashier')];

	it('never leaves the shop without an active owner', () => {
		const olga = all[0]!;
		expect(refuseStaffChange(all, olga, { ...olga, active: false }, 'owner')?.error).toBe(
			'last_owner'
		);
		expect(refuseStaffChange(all, olga, { ...olga, role: 'manager' }, 'owner')?.error).toBe(
			'last_owner'
		);
		// With a second owner, the first may step down.
		const two = [...all, member('otto', 'owner')];
		expect(refuseStaffChange(two, olga, { ...olga, role: 'manager' }, 'owner')).toBeNull();
		// A disabled owner does not count.
		const disabledOtto = [...all, member('otto', 'owner', false)];
		expect(refuseStaffChange(disabledOtto, olga, { ...olga, active: false }, 'owner')?.error).toBe(
			'last_owner'
		);
	});

	it('lets only an owner add, change or demote an owner', () => {
		const max = all[1]!;
		expect(refuseStaffChange(all, max, { ...max, role: 'owner' }, 'manager')?.status).toBe(403);
		expect(refuseStaffChange(all, null, member('new', 'owner'), 'manager')?.status).toBe(403);
		expect(refuseStaffChange(all, all[0]!, { ...all[0]!, name: 'O' }, 'manager')?.status).toBe(403);
		expect(refuseStaffChange(all, max, { ...max, role: 'owner' }, 'owner')).toBeNull();
		expect(refuseStaffChange(all, max, { ...max, active: false }, 'manager')).toBeNull();
	});
});

describe('pinHolder', () => {
	it("finds whose PIN it is among the hashes, disabled members' too, but not one's own", async () => {
		const all = [
			{ ...member('a', 'cashier'), pinHash: await hashPin('1111', 1024) },
			{ ...member('b', 'cashier', false), pinHash: await hashPin('2222', 1024) }
		];
		expect((await pinHolder(all, '1111', null))?.id).toBe('a');
		expect((await pinHolder(all, '2222', 'a'))?.id).toBe('b');
		expect(await pinHolder(all, '1111', 'a')).toBeNull();
		expect(await pinHolder(all, '3333', null)).toBeNull();
	});
});
