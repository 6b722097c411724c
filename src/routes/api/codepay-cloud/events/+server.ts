import { env } from '$env/dynamic/private';
import { cloudEvents } from '$lib/server/api/codepay-cloud-events';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => cloudEvents(await getRuntime(env), event);
