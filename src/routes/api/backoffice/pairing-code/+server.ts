import { env } from '$env/dynamic/private';
import { rotatePairingCode } from '$lib/server/backoffice/profile-admin';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) =>
	rotatePairingCode(await getRuntime(env), event);
