import { env } from '$env/dynamic/private';
import { adjustCloudTip } from '$lib/server/api/codepay-cloud-extras';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) =>
	adjustCloudTip(await getRuntime(env), event, event.params.merchantOrderNo);
