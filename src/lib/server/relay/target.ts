/**
 * Which terminal a relay connection may reach: only a `codepay-lan` terminal from the server's own
 * configuration, looked up by id. The client names an id, never an address, so the relay can never
 * be pointed at anything else on the shop's network.
 */
import { z } from 'zod';
import { DEFAULT_PORT } from '$lib/terminals/codepay-lan/url';
import type { TerminalConfig } from '$lib/terminals/driver';

export interface RelayTarget {
	terminalId: string;
	host: string;
	port: number;
	/** `ws://host:port`, the terminal's only endpoint (NOTES.md §1: any path, plain ws). */
	url: string;
	/** The terminal's currency: the amounts of its frames are read in it. */
	currency: string;
	/** The server's `requireTerminalAuth`: reversals must ask the terminal's operator password. */
	requireTerminalAuth: boolean;
}

const addressSchema = z.object({
	host: z
		.string()
		.trim()
		.min(1)
		.max(253)
		// A host name or an IP literal: nothing that could smuggle a path, credentials or a port.
		.regex(/^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*|[A-Za-z0-9._-]+)$/),
	port: z.coerce.number().int().min(1).max(65535).default(DEFAULT_PORT),
	// As the LAN driver reads it: a boolean, or the text a settings form stores.
	requireTerminalAuth: z
		.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
		.default(false)
});

export type RelayTerminalConfig = Pick<TerminalConfig, 'id' | 'rail' | 'currency' | 'params'>;

export type TargetLookup = { ok: true; target: RelayTarget } | { ok: false; reason: string };

export function resolveRelayTarget(
	terminals: readonly RelayTerminalConfig[],
	terminalId: string | null | undefined
): TargetLookup {
	if (!terminalId) return { ok: false, reason: 'no terminal id' };
	const terminal = terminals.find((t) => t.id === terminalId && t.rail === 'codepay-lan');
	if (!terminal) return { ok: false, reason: 'unknown terminal' };
	const address = addressSchema.safeParse(terminal.params);
	if (!address.success) return { ok: false, reason: 'terminal has no valid address' };
	const { host, port, requireTerminalAuth } = address.data;
	const bare = host.replace(/^\[|\]$/g, '');
	const literal = bare.includes(':') ? `[${bare}]` : bare;
	return {
		ok: true,
		target: {
			terminalId,
			host: bare,
			port,
			url: `ws://${literal}:${port}`,
			currency: terminal.currency,
			requireTerminalAuth
		}
	};
}
