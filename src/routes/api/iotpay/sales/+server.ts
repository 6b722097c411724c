import { env } from '$env/dynamic/private';
import { startIotPaySale } from '$lib/server/api/iotpay-sales';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => startIotPaySale(await getRuntime(env), event);
