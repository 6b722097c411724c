/**
 * The owner's limits on card money taken while the POS server cannot be reached (issue 14), pure.
 * Until the server holds a sale it can neither check it nor keep it if the tablet is lost, so the
 * owner caps what rides on the tablet alone: the card charge of one sale and the card money not yet
 * synced in all. Beyond them the till asks for another tender. Minor units throughout.
 */
import { z } from 'zod/mini';

export const offlineLimitsSchema = z.object({
	/** The largest card charge (amount, tip and cashback) of one payment. */
	perSaleCard: z.optional(z.int().check(z.gte(0))),
	/** The most card money the server has not acknowledged yet, this payment included. */
	totalCard: z.optional(z.int().check(z.gte(0)))
});
export type OfflineLimits = z.infer<typeof offlineLimitsSchema>;

export interface OfflineCardCheck {
	limits: OfflineLimits | undefined;
	/** The server answers: the limits do not apply. */
	serverReachable: boolean;
	/** What the card would be charged now. */
	charge: number;
	/** Card money taken that the server has not acknowledged yet. */
	takenUnsynced: number;
}

export type OfflineCardRefusal =
	{ limit: 'perSaleCard'; max: number } | { limit: 'totalCard'; max: number; left: number };

/** Which limit this card charge would pass, or `null` when it may be taken. */
export function offlineCardRefusal(check: OfflineCardCheck): OfflineCardRefusal | null {
	const { limits, serverReachable, charge, takenUnsynced } = check;
	if (serverReachable || !limits) return null;
	if (limits.perSaleCard !== undefined && charge > limits.perSaleCard) {
		return { limit: 'perSaleCard', max: limits.perSaleCard };
	}
	if (limits.totalCard !== undefined && takenUnsynced + charge > limits.totalCard) {
		return {
			limit: 'totalCard',
			max: limits.totalCard,
			left: Math.max(0, limits.totalCard - takenUnsynced)
		};
	}
	return null;
}

/** The limits as the cashier sees them while the server cannot be reached. */
export function describeLimits(
	limits: OfflineLimits,
	takenUnsynced: number,
	money: (minor: number) => string
): string {
	const parts: string[] = [];
	if (limits.perSaleCard !== undefined) parts.push(`up to ${money(limits.perSaleCard)} each`);
	if (limits.totalCard !== undefined) {
		const left = Math.max(0, limits.totalCard - takenUnsynced);
		parts.push(`${money(limits.totalCard)} in all until synced (${money(left)} left)`);
	}
	return `The server cannot be reached: card payments ${parts.join(', ')}.`;
}

/** The refusal in words for the cashier; `money` formats minor units. */
export function describeRefusal(refusal: OfflineCardRefusal, money: (minor: number) => string) {
	return refusal.limit === 'perSaleCard'
		? `While the server cannot be reached, a card payment may be at most ${money(refusal.max)}. Charge less on the card and take the rest another way.`
		: `While the server cannot be reached, card payments may total ${money(refusal.max)} until they are synced; ${money(refusal.left)} is left. Take cash or charge less on the card.`;
}
