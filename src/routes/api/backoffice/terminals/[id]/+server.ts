import { env } from '$env/dynamic/private';
import { putTerminal, removeTerminal } from '$lib/server/backoffice/terminal-admin';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const PUT: RequestHandler = async (event) =>
	putTerminal(await getRuntime(env), event, event.params.id);
export const DELETE: RequestHandler = async (event) =>
	removeTerminal(await getRuntime(env), event, event.params.id);
