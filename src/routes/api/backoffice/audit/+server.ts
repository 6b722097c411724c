import { env } from '$env/dynamic/private';
import { listAuditLog } from '$lib/server/backoffice/audit-admin';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => listAuditLog(await getRuntime(env), event);
