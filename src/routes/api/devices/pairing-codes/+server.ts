import { env } from '$env/dynamic/private';
import { newPairingCode } from '$lib/server/api/pairing-codes';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => newPairingCode(await getRuntime(env), event);
