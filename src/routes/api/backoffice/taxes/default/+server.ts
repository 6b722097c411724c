import { env } from '$env/dynamic/private';
import { setDefaultTax } from '$lib/server/api/back-office-taxes';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => setDefaultTax(await getRuntime(env), event);
