import { env } from '$env/dynamic/private';
import { listOrders } from '$lib/server/api/orders';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => listOrders(await getRuntime(env), event);
