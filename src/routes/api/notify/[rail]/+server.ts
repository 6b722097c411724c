import { env } from '$env/dynamic/private';
import { getRuntime } from '$lib/server/boot';
import { railNotification } from '$lib/server/rails/rail-routes';
import type { RequestHandler } from './$types';

// Public (no device token): a gateway's notification carries its own signature (`auth/guard.ts`).
export const POST: RequestHandler = async (event) =>
	railNotification(await getRuntime(env), event, event.params.rail);
