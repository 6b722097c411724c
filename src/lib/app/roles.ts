/**
 * Staff roles (issue 13), the same on the till and the server. The owner can do everything a
 * manager can, and the back office keeps at least one active owner.
 */
export const STAFF_ROLES = ['cashier', 'manager', 'owner'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** May approve refunds, voids, releases and batch closes, export the journal, use the back office. */
export function isManagerRole(role: string | undefined | null): boolean {
	return role === 'manager' || role === 'owner';
}
