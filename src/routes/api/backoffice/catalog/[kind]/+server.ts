import { env } from '$env/dynamic/private';
import { catalogSave } from '$lib/server/api/back-office-catalog';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) =>
	catalogSave(await getRuntime(env), event, event.params.kind);
