import { env } from '$env/dynamic/private';
import { setupStatus, setUpStore } from '$lib/server/backoffice/setup';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => setupStatus(await getRuntime(env));
export const POST: RequestHandler = async (event) => setUpStore(await getRuntime(env), event);
