import { env } from '$env/dynamic/private';
import { addStaff, listStaff } from '$lib/server/backoffice/staff-admin';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => listStaff(await getRuntime(env), event);
export const POST: RequestHandler = async (event) => addStaff(await getRuntime(env), event);
