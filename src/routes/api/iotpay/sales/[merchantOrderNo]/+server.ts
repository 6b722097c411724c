import { env } from '$env/dynamic/private';
import { iotPaySaleStatus } from '$lib/server/api/iotpay-sales';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) =>
	iotPaySaleStatus(await getRuntime(env), event, event.params.merchantOrderNo);
