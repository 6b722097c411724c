import { env } from '$env/dynamic/private';
import { getCloudOrder } from '$lib/server/api/codepay-cloud';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) =>
	getCloudOrder(await getRuntime(env), event, event.params.merchantOrderNo);
