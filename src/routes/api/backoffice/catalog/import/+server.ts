import { env } from '$env/dynamic/private';
import { catalogImport } from '$lib/server/api/back-office-catalog';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => catalogImport(await getRuntime(env), event);
