import { env } from '$env/dynamic/private';
import { cancelCloudOrder } from '$lib/server/api/codepay-cloud';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) =>
	cancelCloudOrder(await getRuntime(env), event, event.params.merchantOrderNo);
