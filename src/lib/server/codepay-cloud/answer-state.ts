/**
 * What the gateway's answer to a call that creates an order (a push, a hosted checkout, a refund
 * submit) makes of that order. Pure. A signed `code "0"`: `sent`, settled later by a notification
 * or a signed query. A signed refusal or a gateway that could not be reached: `failed`, nothing
 * moved. Anything else: `unknown`, never guessed at.
 */
import type { GatewayResult } from './gateway-client';
import type { CloudOrderState } from './order-state';

export interface AnswerState {
	state: CloudOrderState;
	outcome?: Record<string, unknown>;
}

export function stateOfAnswer(result: GatewayResult<unknown>): AnswerState {
	if (result.kind === 'ok') return { state: 'sent' };
	if (result.kind === 'refused') {
		return {
			state: 'failed',
			outcome: { status: 'declined', code: result.code, message: result.message }
		};
	}
	if (result.kind === 'unreachable') {
		return {
			state: 'failed',
			outcome: {
				status: 'declined',
				code: 'unreachable',
				message: 'The gateway cannot be reached.'
			}
		};
	}
	return { state: 'unknown' };
}
