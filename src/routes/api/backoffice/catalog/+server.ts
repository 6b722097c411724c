import { env } from '$env/dynamic/private';
import { catalogAdminView } from '$lib/server/api/back-office-catalog';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => catalogAdminView(await getRuntime(env), event);
