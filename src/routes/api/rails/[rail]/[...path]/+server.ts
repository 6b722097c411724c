import { env } from '$env/dynamic/private';
import { getRuntime } from '$lib/server/boot';
import { railRoute } from '$lib/server/rails/rail-routes';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) =>
	railRoute(await getRuntime(env), event, 'GET', event.params.rail, event.params.path);
export const POST: RequestHandler = async (event) =>
	railRoute(await getRuntime(env), event, 'POST', event.params.rail, event.params.path);
