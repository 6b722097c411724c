/**
 * The write-ahead payment journal (IndexedDB, Dexie): orders, tenders and payment attempts, with an
 * append-only trail of events that sync sends from. Its rules, cited by number in the code:
 *
 * 1. **Write before send.** A payment attempt is committed before any byte goes to a terminal or
 *    gateway (`Journal.beginAttempt`, then `markSent` before the call: `payments.ts`).
 * 2. **Unknown is never declined.** A transport failure after sending makes the attempt `unknown`;
 *    only the terminal's (or a manager's, audited) answer settles it (`attempt-state.ts`).
 * 3. **One pending attempt per order.** While an order has a `created`, `sent` or `unknown`
 *    attempt, no other may start on it (`admission.ts`).
 * 4. **Reconcile at start.** At start-up every attempt left in flight is marked `unknown` and the
 *    terminals are asked about it before the till takes a payment (`payments.ts`, `pos.svelte.ts`).
 * 5. **One writer.** One tab of the till writes at a time (Web Locks, `tab-lock.ts`).
 * 6. **Persist.** The browser is asked to keep the journal through storage pressure (`storage.ts`).
 * 7. **Append-only events.** Every change appends an event; none is changed or deleted
 *    (`Journal`'s writes, `sync.ts`).
 *
 * Where the pieces are: `admission.ts` (pure rules for starting an attempt), `settlement.ts` (the
 * money an approved attempt moves), `day-totals.ts` (the day's figures), `history.ts` (history
 * reads), `journal-reads.ts` (reads of one order, attempt or event trail), `journal.ts` (the write
 * transactions on orders, attempts and tenders).
 */
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
export { isPending, refundableOn } from './admission';
