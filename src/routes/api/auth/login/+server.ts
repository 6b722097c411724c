import { env } from '$env/dynamic/private';
import { staffLogin } from '$lib/server/api/staff-login';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => staffLogin(await getRuntime(env), event);
