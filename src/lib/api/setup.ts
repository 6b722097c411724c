/** First start (issue 13): whether the server still needs setting up, and the setup itself. */
import { z } from 'zod/mini';
import type { StoreProfile } from './backoffice';
import { apiCall } from './client';

/** The store's profile, its owner, and its tax rates (`defaultTaxRate`: the default's index). */
export type SetupForm = StoreProfile & {
	ownerName: string;
	ownerPin: string;
	taxRates: { name: string; rateBp: number }[];
	defaultTaxRate: number;
};

export async function needsSetup(): Promise<boolean> {
	return (await apiCall('/api/setup', z.object({ needsSetup: z.boolean() }))).needsSetup;
}

/** Creates the store and its owner; answers the code that pairs the first till. */
export async function setUpStore(form: SetupForm): Promise<string> {
	const schema = z.object({ pairingCode: z.string() });
	return (await apiCall('/api/setup', schema, { body: form })).pairingCode;
}
