import type { StaffRole } from './roles';
import type { StaffConfig } from '../config';
import { verifyPin } from './pin';

export interface StaffMember {
	id: string;
	name: string;
	role: StaffRole;
}

/**
 * The staff member whose PIN this is, or null. Checked one by one: scrypt is deliberately costly
 * in memory, and a shop has few staff.
 */
export async function findStaffByPin(
	staff: StaffConfig[],
	pin: string
): Promise<StaffMember | null> {
	for (const member of staff) {
		if (await verifyPin(pin, member.pinHash)) {
			return { id: member.id, name: member.name, role: member.role };
		}
	}
	return null;
}
