import { env } from '$env/dynamic/private';
import { queryCloudOrder } from '$lib/server/api/codepay-cloud';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) =>
	queryCloudOrder(await getRuntime(env), event, event.params.merchantOrderNo);
