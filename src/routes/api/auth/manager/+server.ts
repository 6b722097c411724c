import { env } from '$env/dynamic/private';
import { managerApproval } from '$lib/server/api/manager-approval';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => managerApproval(await getRuntime(env), event);
