import { env } from '$env/dynamic/private';
import { renameTill } from '$lib/server/backoffice/till-admin';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const PATCH: RequestHandler = async (event) =>
	renameTill(await getRuntime(env), event, event.params.id);
