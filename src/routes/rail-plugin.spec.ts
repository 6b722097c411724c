/**
 * A rail is a folder plus one registry entry: a rail this test plugs in (no screen knows it) gets
 * the buttons its driver offers, on the screens that exist, rendered as the server renders them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { Component } from 'svelte';
import { z } from 'zod';
import { FakeTerminal } from '$lib/journal/testing';
import { railSchema } from '$lib/journal/types';
import type { Pos } from '$lib/state/pos.svelte';
import { Terminals } from '$lib/state/terminals.svelte';
import WithPos from '$lib/state/testing/WithPos.svelte';
import type {
	BatchCloseResult,
	Outcome,
	RailId,
	TerminalCapabilities,
	TerminalConfig
} from '$lib/terminals/driver';
import { terminalConfigSchema } from '$lib/terminals/config';
import { paramsSchema } from '$lib/terminals/params-schema';
import { createDriver, railLabel, registerRail } from '$lib/terminals/registry';
import CardOptions from './CardOptions.svelte';
import TerminalTools from './settings/TerminalTools.svelte';

const RAIL = 'test-plug' as RailId;

/** A driver of the plugged-in rail: every optional operation, nothing else special. */
class PlugTerminal extends FakeTerminal {
	override readonly rail = RAIL as 'simulated';
	override capabilities: TerminalCapabilities = {
		tipOnTerminal: false,
		refund: true,
		partialRefund: false,
		void: false,
		receipts: false,
		batchClose: true,
		tipAdjust: true,
		cashback: true,
		preAuth: true,
		printSummary: true
	};
	async batchClose(): Promise<BatchCloseResult> {
		return { closed: true, code: 'ok', count: 0 };
	}
	async tipAdjust(): Promise<Outcome> {
		return { status: 'approved' };
	}
	async printSummary(): Promise<void> {}
}

const terminal: TerminalConfig = {
	id: 'plug-1',
	name: 'Plug-in terminal',
	rail: RAIL,
	currency: 'USD',
	params: { lane: 3 }
};

let unregister: () => void;

beforeEach(() => {
	unregister = registerRail({
		id: RAIL,
		label: 'Plug-in rail',
		needs: {},
		params: paramsSchema({ lane: z.number() }),
		saleExtras: { cashback: true },
		load: async () => ({ createDriver: (config) => new PlugTerminal(config.id) })
	});
});
afterEach(() => unregister());

/** The till's terminals, with the server providing the plugged-in one; `role` is signed in. */
async function tillWithPlugTerminal(role = 'manager'): Promise<Pos> {
	const terminals = new Terminals(undefined, () => false);
	terminals.setProvisioned([terminal]);
	await terminals.loadCapabilities(terminal.id);
	const session = { config: { demo: false }, staff: { role } };
	return { terminals, session, journal: null } as unknown as Pos;
}

function html(pos: Pos, component: Component<never>, props: Record<string, unknown> = {}): string {
	return render(WithPos, {
		props: { pos, component: component as Component<Record<string, unknown>>, props }
	}).body;
}

describe('a rail plugged in through the registry', () => {
	it('is known wherever a terminal or an attempt is read', async () => {
		expect(terminalConfigSchema.safeParse(terminal).success).toBe(true);
		expect(railLabel(RAIL)).toBe('Plug-in rail');
		// Its params are checked by its own schema.
		const bad = terminalConfigSchema.safeParse({ ...terminal, params: { lane: 'three' } });
		expect(bad.success).toBe(false);
		expect((await createDriver(terminal)).rail).toBe(RAIL);
		expect(railSchema.safeParse(RAIL).success).toBe(true);
		expect(railSchema.safeParse('no-such-rail').success).toBe(false);
	});

	it('gets batch close and the day summary in Settings from its driver alone', async () => {
		const page = html(await tillWithPlugTerminal(), TerminalTools);
		expect(page).toContain('Close batch on Plug-in terminal');
		expect(page).toContain('Print day summary on Plug-in terminal');
		// Outside demo mode a cashier is offered no batch close (issue 13: roles hold everywhere).
		const asCashier = html(await tillWithPlugTerminal('cashier'), TerminalTools);
		expect(asCashier).not.toContain('Close batch on Plug-in terminal');
	});

	it('gets the cashback field at the checkout from its driver alone', async () => {
		const page = html(await tillWithPlugTerminal(), CardOptions, {
			terminal,
			currency: 'USD',
			cashback: 0
		});
		expect(page).toMatch(/Cashback/i);
	});

	it('gets none of them when its driver offers none', async () => {
		unregister();
		unregister = registerRail({
			id: RAIL,
			label: 'Plug-in rail',
			needs: {},
			params: paramsSchema({}),
			load: async () => ({ createDriver: (config) => new FakeTerminal(config.id) })
		});
		const pos = await tillWithPlugTerminal();
		expect(html(pos, TerminalTools)).not.toContain('Plug-in terminal');
		expect(html(pos, CardOptions, { terminal, currency: 'USD', cashback: 0 })).not.toMatch(
			/Cashback/i
		);
	});
});
