import { env } from '$env/dynamic/private';
import { listTaxes, saveTax } from '$lib/server/api/back-office-taxes';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => listTaxes(await getRuntime(env), event);
export const POST: RequestHandler = async (event) => saveTax(await getRuntime(env), event);
