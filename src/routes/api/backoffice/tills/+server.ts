import { env } from '$env/dynamic/private';
import { listTills } from '$lib/server/backoffice/till-admin';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => listTills(await getRuntime(env), event);
