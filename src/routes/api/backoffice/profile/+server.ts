import { env } from '$env/dynamic/private';
import { getProfile, putProfile } from '$lib/server/backoffice/profile-admin';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => getProfile(await getRuntime(env), event);
export const PUT: RequestHandler = async (event) => putProfile(await getRuntime(env), event);
