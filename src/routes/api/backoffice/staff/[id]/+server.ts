import { env } from '$env/dynamic/private';
import { editStaff } from '$lib/server/backoffice/staff-admin';
import { getRuntime } from '$lib/server/boot';
import type { RequestHandler } from './$types';

export const PATCH: RequestHandler = async (event) =>
	editStaff(await getRuntime(env), event, event.params.id);
