/**
 * The browser side of the server's card-entry routes: the cloud rail's client (`CloudApi`, the
 * device token and staff session, answers parsed with zod, failures as `TerminalError`s that say
 * whether the payment may have gone out) on this rail's routes, plus the gateway key. The card goes
 * only as the ciphertext the form made. An open order's `payUrl` is its 3-D Secure page.
 */
import { z } from 'zod/mini';
import { TerminalError } from '../driver';
import { CloudApi, type CloudApiOptions } from '../codepay-cloud/cloud-api';

export type { CloudOrderView as CheckoutView } from '../codepay-cloud/cloud-api';

const keyAnswer = z.object({ spki: z.string().check(z.minLength(1)) });

export function cardApi(options: Omit<CloudApiOptions, 'rail'>): CloudApi {
	return new CloudApi({ ...options, rail: 'codepay-card' });
}

/** The gateway's public key (SPKI, base64) the card is encrypted with. */
export async function fetchGatewayKey(api: CloudApi): Promise<string> {
	const response = await api
		.fetch(api.url('/key'), { headers: api.headers() })
		.catch(() => undefined);
	const parsed = keyAnswer.safeParse(await response?.json().catch(() => undefined));
	if (response?.ok && parsed.success) return parsed.data.spki;
	throw new TerminalError(
		response?.status === 401 || response?.status === 403 ? 'auth' : 'unreachable',
		response ? `The POS server answered ${response.status}.` : 'The POS server did not answer.',
		false
	);
}
