import { env } from '$env/dynamic/private';
import { sync } from '$lib/server/api/sync';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => sync(await getRuntime(env), event);
