import { env } from '$env/dynamic/private';
import { getRuntime } from '$lib/server/boot';
import { manifestResponse } from '$lib/server/api/web-manifest';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => manifestResponse(await getRuntime(env));
