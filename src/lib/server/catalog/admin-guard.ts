/**
 * Who may change the catalog and the taxes: a manager or the owner, signed in on a paired till
 * (the staff session the server signed, never a role a request body claims).
 */
import { deviceNotPaired, jsonError, type ApiEvent } from '../http';

/** The roles that run the back office; `owner` can do all a manager can. */
export function isBackOfficeRole(role: string | undefined): boolean {
	return role === 'manager' || role === 'owner';
}

export type Admin = { ok: true; staffId: string; name: string } | { ok: false; response: Response };

export function requireBackOffice(event: ApiEvent): Admin {
	if (!event.locals.device) return { ok: false, response: deviceNotPaired() };
	const staff = event.locals.staff;
	if (!staff) {
		return {
			ok: false,
			response: jsonError(401, 'not_signed_in', 'Sign in as a manager or the owner first.')
		};
	}
	if (!isBackOfficeRole(staff.role)) {
		return {
			ok: false,
			response: jsonError(
				403,
				'not_a_manager',
				'Only a manager or the owner can change the catalog.'
			)
		};
	}
	return { ok: true, staffId: staff.id, name: staff.name };
}
