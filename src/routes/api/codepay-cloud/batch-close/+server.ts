import { env } from '$env/dynamic/private';
import { closeCloudBatch } from '$lib/server/api/codepay-cloud-extras';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => closeCloudBatch(await getRuntime(env), event);
