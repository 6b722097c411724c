import { env } from '$env/dynamic/private';
import { listTerminals } from '$lib/server/backoffice/terminal-admin';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => listTerminals(await getRuntime(env), event);
