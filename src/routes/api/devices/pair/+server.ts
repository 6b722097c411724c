import { env } from '$env/dynamic/private';
import { pairDevice } from '$lib/server/api/pair';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => pairDevice(await getRuntime(env), event);
