/** The roles the server checks: the same definitions as the till's (`$lib/app/roles`). */
export { isManagerRole, STAFF_ROLES, type StaffRole } from '$lib/app/roles';
