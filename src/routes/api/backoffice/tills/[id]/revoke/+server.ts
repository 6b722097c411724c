import { env } from '$env/dynamic/private';
import { revokeTill } from '$lib/server/backoffice/till-admin';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) =>
	revokeTill(await getRuntime(env), event, event.params.id);
