import { env } from '$env/dynamic/private';
import { health } from '$lib/server/api/health';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () => health(() => getRuntime(env));
