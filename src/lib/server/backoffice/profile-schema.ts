/** What a store's profile may hold (setup and the back office share it; issue 13). */
import { randomInt } from 'node:crypto';
import { z } from 'zod/mini';
import { cleanString } from '$lib/text/clean-text';

const text = (max: number) => cleanString().check(z.trim()).check(z.maxLength(max));

function isLocale(value: string): boolean {
	try {
		return Intl.getCanonicalLocales(value).length === 1;
	} catch {
		return false;
	}
}

function isTimeZone(value: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: value });
		return true;
	} catch {
		return false;
	}
}

export const profileSchema = z.object({
	name: text(80).check(z.minLength(1)),
	address: text(400),
	taxNumber: text(40),
	currency: z
		.string()
		.check(z.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as USD')),
	locale: z.string().check(z.maxLength(35)).check(z.refine(isLocale, 'not a locale such as en-US')),
	timeZone: z
		.string()
		.check(z.maxLength(64))
		.check(z.refine(isTimeZone, 'not a time zone such as America/New_York')),
	receiptHeader: text(400),
	receiptFooter: text(400)
});
export type ProfileInput = z.infer<typeof profileSchema>;

/** The code that pairs a till: 8 random digits, shown once, kept only as a hash. */
export function newPairingCode(): string {
	return String(randomInt(0, 10 ** 8)).padStart(8, '0');
}
