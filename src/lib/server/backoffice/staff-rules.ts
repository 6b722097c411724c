/**
 * The rules of a staff change (issue 13), pure but for the PIN check: the shop keeps an active
 * owner; only an owner touches owners; a PIN belongs to one person. PINs are kept as scrypt hashes
 * only, so a new PIN is checked against every member's hash (disabled ones too, so that enabling
 * someone again can never make two people share a PIN).
 */
import { verifyPin } from '../auth/pin';
import type { StaffRecord, StaffRole } from '../store/shop-store';

export type StaffRefusal = { status: 400 | 403 | 404 | 409; error: string; message: string };

export const PIN_PATTERN = /^\d{4,8}$/;

const activeOwners = (staff: readonly StaffRecord[]) =>
	staff.filter((member) => member.active && member.role === 'owner').length;

/**
 * Why `next` may not replace `before` (null: a new member) when `actorRole` asks, or null when it
 * may. `all` is every member as stored now.
 */
export function refuseStaffChange(
	all: readonly StaffRecord[],
	before: StaffRecord | null,
	next: StaffRecord,
	actorRole: StaffRole | string
): StaffRefusal | null {
	const touchesOwner = before?.role === 'owner' || next.role === 'owner';
	if (touchesOwner && actorRole !== 'owner') {
		return {
			status: 403,
			error: 'owner_only',
			message: 'Only the owner can add, change or disable an owner.'
		};
	}
	const after = before ? all.map((m) => (m.id === before.id ? next : m)) : [...all, next];
	if (activeOwners(all) > 0 && activeOwners(after) === 0) {
		return {
			status: 409,
			error: 'last_owner',
			message: 'This is the last owner: make someone else owner first.'
		};
	}
	return null;
}

/** The member (other than `exceptId`) whose PIN `pin` already is, or null. */
export async function pinHolder(
	all: readonly StaffRecord[],
	pin: string,
	exceptId: string | null
): Promise<StaffRecord | null> {
	for (const member of all) {
		if (member.id === exceptId) continue;
		if (await verifyPin(pin, member.pinHash)) return member;
	}
	return null;
}

export const PIN_TAKEN: StaffRefusal = {
	status: 409,
	error: 'pin_taken',
	message: 'Someone already has that PIN. Choose another.'
};

/** What the back office shows and the audit log keeps of a member: never the PIN hash. */
export function staffView(member: StaffRecord): Omit<StaffRecord, 'pinHash'> {
	return { id: member.id, name: member.name, role: member.role, active: member.active };
}
