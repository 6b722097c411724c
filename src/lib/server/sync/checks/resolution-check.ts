/**
 * A manager's resolution of an attempt (`$lib/journal/resolve.ts`) is believed only with the
 * server's approval for that verdict on that very attempt, and only when the attempt ended as the
 * verdict says ("not charged" cancelled, "charged" approved). Pure.
 */
import {
	APPROVAL_PROBLEM_TEXT,
	checkResolutionApproval,
	type ApprovalRecord
} from '../../approvals/approval-scope';
import type { SyncAttempt } from '../sync-schema';
import { refuse, type Refusal } from './refusal';

const STATE_OF_VERDICT = { not_charged: 'cancelled', charged: 'approved' } as const;

export function checkResolution(
	attempt: SyncAttempt,
	record: ApprovalRecord | null | undefined,
	deviceId: string,
	isManager: (staffId: string) => boolean
): Refusal | null {
	const resolution = attempt.resolution;
	if (!resolution) return null;
	if (attempt.state !== STATE_OF_VERDICT[resolution.verdict]) {
		return refuse(
			'resolution_mismatch',
			`is resolved as ${resolution.verdict.replace('_', ' ')} but is ${attempt.state}`
		);
	}
	const problem = checkResolutionApproval(attempt, record, deviceId, isManager);
	return problem ? refuse(problem, `resolution ${APPROVAL_PROBLEM_TEXT[problem]}`) : null;
}
