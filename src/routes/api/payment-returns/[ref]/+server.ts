import { env } from '$env/dynamic/private';
import { getRuntime } from '$lib/server/boot';
import { paymentReturn } from '$lib/server/api/payment-returns';
import type { RequestHandler } from './$types';

// Open to anyone holding the reference (`auth/guard.ts`): the page shows the payment's status only.
export const GET: RequestHandler = async (event) =>
	paymentReturn(await getRuntime(env), event, event.params.ref);
