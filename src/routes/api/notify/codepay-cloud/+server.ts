import { env } from '$env/dynamic/private';
import { cloudNotification } from '$lib/server/api/codepay-cloud';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

// Public (no device token): the gateway's signature is checked instead (`auth/guard.ts`).
export const POST: RequestHandler = async (event) =>
	cloudNotification(await getRuntime(env), event);
