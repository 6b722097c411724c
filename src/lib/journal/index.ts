export * from './types';
export { JournalDb, openJournalDb } from './db';
export {
	FINAL_STATES,
	IllegalTransitionError,
	canTransition,
	isFinal,
	nextState,
	transitionRefusal,
	type TransitionOptions
} from './attempt-state';
export { AttemptInProgressError, JournalError, type JournalErrorCode } from './errors';
export { newId, newMerchantOrderNo, isValidMerchantOrderNo } from './ids';
export { dayKey, deriveOrderStatus, formatOrderNumber, remainingDue } from './order-status';
export {
	Journal,
	type BeginAttemptInput,
	type CashTenderInput,
	type JournalOptions
} from './journal';
export * from './payments';
export * from './sync';
export * from './tab-lock';
export * from './storage';
export * from './export';
export { CHARGING_KINDS, isCharge, openHolds } from './holds';
