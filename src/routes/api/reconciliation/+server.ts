import { env } from '$env/dynamic/private';
import { reconciliation } from '$lib/server/api/reconciliation';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => reconciliation(await getRuntime(env), event);
