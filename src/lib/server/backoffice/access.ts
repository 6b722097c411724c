/**
 * Who may use the back office (issue 13): a manager or the owner, signed in on a paired till or
 * PC. Every back-office API calls this first; the screens only mirror it.
 */
import { isManagerRole } from '../auth/roles';
import { deviceNotPaired, jsonError, type ApiEvent } from '../http';
import type { Actor } from './audit';

export type Access = { ok: true; actor: Actor; role: string } | { ok: false; response: Response };

export function backOfficeAccess(event: Pick<ApiEvent, 'locals'>): Access {
	const { device, staff } = event.locals;
	if (!device) return { ok: false, response: deviceNotPaired() };
	if (!staff) {
		return {
			ok: false,
			response: jsonError(401, 'not_signed_in', 'Sign in as a manager to use the back office.')
		};
	}
	if (!isManagerRole(staff.role)) {
		return {
			ok: false,
			response: jsonError(
				403,
				'not_a_manager',
				'Only a manager or the owner can use the back office.'
			)
		};
	}
	return {
		ok: true,
		role: staff.role,
		actor: { deviceId: device.id, staffId: staff.id, staffName: staff.name }
	};
}
