/** First start (issue 13): whether the server still needs setting up, and the setup itself. */
import { z } from 'zod';
import { apiCall } from './client';

export interface SetupForm {
	name: string;
	address: string;
	taxNumber: string;
	currency: string;
	locale: string;
	timeZone: string;
	receiptHeader: string;
	receiptFooter: string;
	ownerName: string;
	ownerPin: string;
}

export async function needsSetup(): Promise<boolean> {
	return (await apiCall('/api/setup', z.object({ needsSetup: z.boolean() }))).needsSetup;
}

/** Creates the store and its owner; answers the code that pairs the first till. */
export async function setUpStore(form: SetupForm): Promise<string> {
	const schema = z.object({ pairingCode: z.string() });
	return (await apiCall('/api/setup', schema, { body: form })).pairingCode;
}
