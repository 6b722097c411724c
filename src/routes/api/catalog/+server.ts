import { env } from '$env/dynamic/private';
import { catalog } from '$lib/server/api/catalog';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => catalog(await getRuntime(env), event);
