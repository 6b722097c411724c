/**
 * The back office's terminals API (issue 13): `GET /api/backoffice/terminals`, `PUT
 * /api/backoffice/terminals/<id>` to add or edit one, `DELETE` to remove it. The params are checked
 * by the rail's own schema from the registry (`terminalConfigSchema`), and nothing that looks like
 * a secret is kept: credentials stay in the server's environment. Every till gets the change with
 * its next `/api/config`.
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { terminalConfigSchema } from '$lib/terminals/config';
import type { TerminalConfig } from '$lib/terminals/driver';
import { SECRET_LOOKING_KEY } from '../config';
import { jsonError, parseJsonBody, type ApiEvent } from '../http';
import type { Runtime } from '../runtime';
import { backOfficeAccess } from './access';
import { auditChange } from './audit';

const TERMINAL_ID = /^[A-Za-z0-9_.-]{1,64}$/;

const terminalBody = z
	.unknown()
	.pipe(terminalConfigSchema)
	.superRefine((terminal, ctx) => {
		for (const key of Object.keys(terminal.params)) {
			if (SECRET_LOOKING_KEY.test(key)) {
				ctx.addIssue({
					code: 'custom',
					path: ['params', key],
					message: "looks like a secret: credentials belong in the server's environment"
				});
			}
		}
	});

const plain = ({ id, name, rail, currency, params }: TerminalConfig): TerminalConfig => ({
	id,
	name,
	rail,
	currency,
	params
});

export async function listTerminals(rt: Runtime, event: ApiEvent): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	await rt.refresh();
	return json({ terminals: rt.config.terminals.map(plain) });
}

export async function putTerminal(rt: Runtime, event: ApiEvent, id: string): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	if (!TERMINAL_ID.test(id)) {
		return jsonError(
			400,
			'bad_terminal_id',
			'A terminal id is 1 to 64 letters, digits, ., _ or -.'
		);
	}
	const body = await parseJsonBody(event.request, terminalBody);
	if (!body.ok) return body.response;
	if (body.data.id !== id) {
		return jsonError(400, 'id_mismatch', 'The terminal in the body has another id than the path.');
	}
	await rt.refresh();
	const before = rt.config.terminals.find((t) => t.id === id) ?? null;
	const terminal = plain(body.data);
	const now = rt.now();
	await rt.store.shop.putTerminal(terminal, now);
	const kind = before ? 'terminal.changed' : 'terminal.added';
	await auditChange(rt.store, access.actor, kind, before && plain(before), terminal, now);
	await rt.refresh();
	return json({ terminal }, { status: before ? 200 : 201 });
}

export async function removeTerminal(rt: Runtime, event: ApiEvent, id: string): Promise<Response> {
	const access = backOfficeAccess(event);
	if (!access.ok) return access.response;
	await rt.refresh();
	const before = rt.config.terminals.find((t) => t.id === id);
	const now = rt.now();
	if (!before || !(await rt.store.shop.removeTerminal(id, now))) {
		return jsonError(404, 'no_such_terminal', 'No such terminal.');
	}
	await auditChange(rt.store, access.actor, 'terminal.removed', plain(before), null, now);
	await rt.refresh();
	return json({ removed: id });
}
