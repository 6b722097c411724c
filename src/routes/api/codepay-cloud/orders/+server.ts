import { env } from '$env/dynamic/private';
import { pushCloudOrder } from '$lib/server/api/codepay-cloud';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => pushCloudOrder(await getRuntime(env), event);
