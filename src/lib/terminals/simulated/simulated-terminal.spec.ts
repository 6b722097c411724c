import { describe, expect, it } from 'vitest';
import {
	TerminalError,
	type SaleRequest,
	type TerminalConfig,
	type TerminalEvent
} from '../driver';
import type { StorageLike } from './sim-log';
import { SimulatedTerminal } from './simulated-terminal';

class MemoryStorage implements StorageLike {
	readonly items = new Map<string, string>();
	getItem(key: string): string | null {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string): void {
		this.items.set(key, value);
	}
	removeItem(key: string): void {
		this.items.delete(key);
	}
}

/** A clock whose sleeps only end when the test advances time. */
class FakeClock {
	time = 1_700_000_000_000;
	#timers: { at: number; resolve: () => void }[] = [];
	now = (): number => this.time;
	sleep = (ms: number): Promise<void> =>
		new Promise((resolve) => this.#timers.push({ at: this.time + ms, resolve }));
	async advance(ms: number): Promise<void> {
		const end = this.time + ms;
		for (;;) {
			await flush();
			const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
			if (!due) break;
			this.time = Math.max(this.time, due.at);
			this.#timers = this.#timers.filter((t) => t !== due);
			due.resolve();
		}
		this.time = end;
		await flush();
	}
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(params: TerminalConfig['params'] = {}, storage = new MemoryStorage()) {
	const clock = new FakeClock();
	const make = (p: TerminalConfig['params'] = params) =>
		new SimulatedTerminal(
			{ id: 'sim-1', name: 'Counter', rail: 'simulated', currency: 'USD', params: p },
			{ storage, now: clock.now, sleep: clock.sleep }
		);
	return { clock, storage, make, terminal: make() };
}

const sale = (merchantOrderNo: string, amount = 1250, tip = 0): SaleRequest => ({
	merchantOrderNo,
	amount,
	tip,
	currency: 'USD'
});

const query = (merchantOrderNo: string) =>
	({ merchantOrderNo, kind: 'sale', amount: 1250, currency: 'USD' }) as const;

/** Settles a promise into a value so a rejection can be asserted after the clock moves. */
function settle<T>(promise: Promise<T>) {
	return promise.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error })
	);
}

describe('SimulatedTerminal scenarios', () => {
	it('approves after the card delay with card details and reference', async () => {
		const { terminal, clock } = setup({ scenario: 'approve' });
		await terminal.connect();
		const result = settle(terminal.sale(sale('A1', 1250, 100)));
		await clock.advance(1499);
		expect(terminal.status()).toBe('busy');
		await clock.advance(1);
		const r = await result;
		expect(r).toEqual({
			ok: true,
			value: expect.objectContaining({
				status: 'approved',
				amount: 1250,
				tip: 100,
				cardBrand: 'Visa',
				maskedCard: '**** 4242',
				authCode: expect.stringMatching(/^\d{6}$/),
				reference: expect.stringMatching(/^SIM/)
			})
		});
		expect(terminal.status()).toBe('ready');
	});

	it('declines with insufficient funds, code 51', async () => {
		const { terminal } = setup({ scenario: 'decline', cardSeconds: 0 });
		await terminal.connect();
		const outcome = await terminal.sale(sale('D1'));
		expect(outcome).toMatchObject({
			status: 'declined',
			message: 'Insufficient funds',
			code: '51'
		});
		expect(outcome.authCode).toBeUndefined();
	});

	it('reports a customer cancel as cancelled', async () => {
		const { terminal } = setup({ scenario: 'cancel', cardSeconds: 0 });
		await terminal.connect();
		expect((await terminal.sale(sale('C1'))).status).toBe('cancelled');
		expect(terminal.log()[0]?.status).toBe('cancelled');
	});

	it('is slow for slowSeconds, answering unknown to a query meanwhile', async () => {
		const { terminal, clock } = setup({ scenario: 'slow', slowSeconds: 5 });
		await terminal.connect();
		const result = settle(terminal.sale(sale('S1')));
		await clock.advance(4000);
		expect((await terminal.query(query('S1'))).status).toBe('unknown');
		await clock.advance(1000);
		expect(await result).toMatchObject({ ok: true, value: { status: 'approved' } });
	});

	it('drop-after-approve throws connection_lost but records the approved sale', async () => {
		const { terminal } = setup({ scenario: 'drop-after-approve', cardSeconds: 0 });
		await terminal.connect();
		const error = await terminal.sale(sale('X1')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TerminalError);
		expect(error).toMatchObject({ code: 'connection_lost', mayHaveReachedTerminal: true });
		const outcome = await terminal.query(query('X1'));
		expect(outcome).toMatchObject({ status: 'approved', maskedCard: '**** 4242', amount: 1250 });
		expect(terminal.status()).toBe('ready');
	});

	it('never-answer times out after timeoutSeconds and stays unknown', async () => {
		const { terminal, clock } = setup({ scenario: 'never-answer', timeoutSeconds: 30 });
		await terminal.connect();
		const result = settle(terminal.sale(sale('N1')));
		await clock.advance(29_999);
		expect(terminal.status()).toBe('busy');
		await clock.advance(1);
		const r = await result;
		expect(r.ok).toBe(false);
		expect(!r.ok && r.error).toMatchObject({ code: 'timeout', mayHaveReachedTerminal: true });
		await clock.advance(3_600_000);
		expect((await terminal.query(query('N1'))).status).toBe('unknown');
		expect(terminal.log()).toHaveLength(1);
	});

	it('offline is unreachable on connect and sale and records nothing', async () => {
		const { terminal } = setup({ scenario: 'offline' });
		await expect(terminal.connect()).rejects.toMatchObject({
			code: 'unreachable',
			mayHaveReachedTerminal: false
		});
		expect(terminal.status()).toBe('offline');
		await expect(terminal.sale(sale('O1'))).rejects.toMatchObject({ code: 'unreachable' });
		expect(terminal.log()).toEqual([]);
		terminal.setScenario('approve');
		expect(await terminal.query(query('O1'))).toMatchObject({
			status: 'unknown',
			code: 'NOT_FOUND'
		});
		expect(terminal.status()).toBe('ready');
	});

	it('refuses operations before connect', async () => {
		const { terminal } = setup({ cardSeconds: 0 });
		await expect(terminal.sale(sale('P1'))).rejects.toMatchObject({ code: 'not_connected' });
	});

	it('follows setScenario at runtime', async () => {
		const { terminal } = setup({ scenario: 'approve', cardSeconds: 0 });
		await terminal.connect();
		terminal.setScenario('decline');
		expect((await terminal.sale(sale('R1'))).status).toBe('declined');
		terminal.setScenario('offline');
		expect(terminal.status()).toBe('offline');
	});

	it('emits connecting, ready, busy, ready', async () => {
		const { terminal } = setup({ cardSeconds: 0 });
		const events: TerminalEvent[] = [];
		terminal.on((event) => events.push(event));
		await terminal.connect();
		await terminal.sale(sale('E1'));
		expect(events.map((e) => e.type === 'status' && e.status)).toEqual([
			'connecting',
			'ready',
			'busy',
			'ready'
		]);
	});

	it('adds the terminal tip when the tip is chosen on the terminal', async () => {
		const { terminal } = setup({ cardSeconds: 0, terminalTip: 300 });
		await terminal.connect();
		const outcome = await terminal.sale({ ...sale('T1', 2000, 50), tipOnTerminal: true });
		expect(outcome).toMatchObject({ amount: 2000, tip: 350 });
		expect((await terminal.sale(sale('T2', 2000, 50))).tip).toBe(50);
	});

	it('rejects a second operation while busy', async () => {
		const { terminal, clock } = setup({ scenario: 'slow', slowSeconds: 5 });
		await terminal.connect();
		const first = settle(terminal.sale(sale('B1')));
		await expect(terminal.sale(sale('B2'))).rejects.toMatchObject({ code: 'busy' });
		await clock.advance(5000);
		await first;
		expect(terminal.log().map((t) => t.merchantOrderNo)).toEqual(['B1']);
	});

	it('rejects amounts that are not positive integers or in another currency', async () => {
		const { terminal } = setup({ cardSeconds: 0 });
		await terminal.connect();
		await expect(terminal.sale(sale('V1', 12.5))).rejects.toMatchObject({ code: 'bad_request' });
		await expect(terminal.sale(sale('V2', 0))).rejects.toMatchObject({ code: 'bad_request' });
		await expect(terminal.sale({ ...sale('V3'), currency: 'EUR' })).rejects.toMatchObject({
			code: 'bad_request'
		});
		expect(terminal.log()).toEqual([]);
	});
});

describe('SimulatedTerminal persistence', () => {
	it('a reload during a slow sale answers unknown, then the approved outcome', async () => {
		const { terminal, clock, make } = setup({ scenario: 'slow', slowSeconds: 8 });
		await terminal.connect();
		void settle(terminal.sale(sale('L1', 4200)));
		await clock.advance(2000);

		// The page reloads: a new instance on the same storage, the old one is gone.
		const reloaded = make();
		await reloaded.connect();
		expect(await reloaded.query(query('L1'))).toMatchObject({ status: 'unknown' });
		await clock.advance(5999);
		expect((await reloaded.query(query('L1'))).status).toBe('unknown');
		await clock.advance(1);
		expect(await reloaded.query(query('L1'))).toMatchObject({
			status: 'approved',
			amount: 4200,
			cardBrand: 'Visa',
			maskedCard: '**** 4242',
			authCode: expect.stringMatching(/^\d{6}$/),
			reference: expect.any(String)
		});
	});

	it('keeps one log per terminal id under pos.sim-terminal.<id>', async () => {
		const { terminal, storage } = setup({ cardSeconds: 0 });
		await terminal.connect();
		await terminal.sale(sale('K1'));
		expect([...storage.items.keys()]).toEqual(['pos.sim-terminal.sim-1']);
	});

	it('starts a fresh log when storage holds garbage', async () => {
		const storage = new MemoryStorage();
		storage.setItem('pos.sim-terminal.sim-1', '{not json');
		const { terminal } = setup({ cardSeconds: 0 }, storage);
		await terminal.connect();
		expect(terminal.log()).toEqual([]);
		expect((await terminal.sale(sale('G1'))).status).toBe('approved');
		expect(terminal.log()).toHaveLength(1);
	});

	it('clearLog empties the log but references stay unique', async () => {
		const { terminal } = setup({ cardSeconds: 0 });
		await terminal.connect();
		const first = await terminal.sale(sale('Q1'));
		terminal.clearLog();
		expect(terminal.log()).toEqual([]);
		const second = await terminal.sale(sale('Q2'));
		expect(second.reference).not.toBe(first.reference);
	});
});

describe('SimulatedTerminal duplicate orders', () => {
	it('answers a repeated merchantOrderNo from the log without charging again', async () => {
		const { terminal } = setup({ cardSeconds: 0 });
		await terminal.connect();
		const first = await terminal.sale(sale('U1', 1000));
		const again = await terminal.sale(sale('U1', 1000));
		expect(again).toEqual(first);
		const sales = terminal.log().filter((t) => t.kind === 'sale' && t.merchantOrderNo === 'U1');
		expect(sales).toHaveLength(1);
		expect(sales[0]?.duplicates).toBe(1);
	});

	it('answers a repeated order with its original result even after the scenario changed', async () => {
		const { terminal } = setup({ scenario: 'decline', cardSeconds: 0 });
		await terminal.connect();
		await terminal.sale(sale('U2'));
		terminal.setScenario('approve');
		expect((await terminal.sale(sale('U2'))).status).toBe('declined');
	});

	it('does not drop the connection again when a dropped sale is retried', async () => {
		const { terminal } = setup({ scenario: 'drop-after-approve', cardSeconds: 0 });
		await terminal.connect();
		await expect(terminal.sale(sale('U3'))).rejects.toMatchObject({ code: 'connection_lost' });
		expect((await terminal.sale(sale('U3'))).status).toBe('approved');
		expect(terminal.log()).toHaveLength(1);
	});

	it('declines an order number already used by another kind', async () => {
		const { terminal } = setup({ cardSeconds: 0 });
		await terminal.connect();
		await terminal.sale(sale('U4'));
		const refund = await terminal.refund({
			merchantOrderNo: 'U4',
			origMerchantOrderNo: 'U4',
			amount: 100,
			currency: 'USD'
		});
		expect(refund).toMatchObject({ status: 'declined', code: '94' });
		expect(terminal.log()).toHaveLength(1);
	});
});

describe('SimulatedTerminal cancel', () => {
	it('cancels a pending slow sale and the waiting sale resolves cancelled', async () => {
		const { terminal, clock } = setup({ scenario: 'slow', slowSeconds: 8 });
		await terminal.connect();
		const result = settle(terminal.sale(sale('Z1')));
		await clock.advance(1000);
		await terminal.cancel('Z1');
		const r = await result;
		expect(r).toMatchObject({ ok: true, value: { status: 'cancelled' } });
		expect(clock.time).toBe(1_700_000_001_000);
		await clock.advance(60_000);
		expect((await terminal.query(query('Z1'))).status).toBe('cancelled');
		expect(terminal.status()).toBe('ready');
	});

	it('cancels a never-answer sale', async () => {
		const { terminal, clock } = setup({ scenario: 'never-answer' });
		await terminal.connect();
		const result = settle(terminal.sale(sale('Z2')));
		await clock.advance(10_000);
		await terminal.cancel('Z2');
		expect(await result).toMatchObject({ ok: true, value: { status: 'cancelled' } });
	});

	it('does not cancel an approved sale', async () => {
		const { terminal } = setup({ cardSeconds: 0 });
		await terminal.connect();
		await terminal.sale(sale('Z3'));
		await terminal.cancel('Z3');
		expect((await terminal.query(query('Z3'))).status).toBe('approved');
	});
});

describe('SimulatedTerminal refunds and voids', () => {
	async function approvedSale(amount = 5000, tip = 500) {
		const ctx = setup({ cardSeconds: 0 });
		await ctx.terminal.connect();
		const outcome = await ctx.terminal.sale(sale('S', amount, tip));
		return { ...ctx, outcome };
	}
	const refund = (merchantOrderNo: string, amount: number) => ({
		merchantOrderNo,
		origMerchantOrderNo: 'S',
		amount,
		currency: 'USD'
	});
	const voidOf = (merchantOrderNo: string, origMerchantOrderNo = 'S') => ({
		merchantOrderNo,
		origMerchantOrderNo,
		amount: 5500,
		currency: 'USD'
	});

	it('allows partial refunds up to the amount charged, tip included', async () => {
		const { terminal } = await approvedSale(5000, 500);
		expect((await terminal.refund(refund('F1', 3000))).status).toBe('approved');
		expect((await terminal.refund(refund('F2', 2500))).status).toBe('approved');
		const over = await terminal.refund(refund('F3', 1));
		expect(over.status).toBe('declined');
		expect(over.message).toMatch(/exceeds/);
	});

	it('declines a refund above what is left, then allows the rest', async () => {
		const { terminal } = await approvedSale(5000, 0);
		await terminal.refund(refund('F1', 4000));
		const over = await terminal.refund(refund('F2', 1001));
		expect(over).toMatchObject({ status: 'declined', message: expect.stringContaining('1000') });
		expect((await terminal.refund(refund('F3', 1000))).status).toBe('approved');
	});

	it('does not count a declined refund against the sale', async () => {
		const { terminal } = await approvedSale(5000, 0);
		await terminal.refund(refund('F1', 6000));
		expect((await terminal.refund(refund('F2', 5000))).status).toBe('approved');
	});

	it('declines a refund of an unknown or declined sale', async () => {
		const { terminal } = await approvedSale();
		const unknownSale = await terminal.refund({
			...refund('F1', 100),
			origMerchantOrderNo: 'nope'
		});
		expect(unknownSale.status).toBe('declined');
		terminal.setScenario('decline');
		await terminal.sale(sale('DECL'));
		const declinedSale = await terminal.refund({
			...refund('F2', 100),
			origMerchantOrderNo: 'DECL'
		});
		expect(declinedSale.status).toBe('declined');
	});

	it('declines a refund whose reference does not match the sale', async () => {
		const { terminal, outcome } = await approvedSale();
		const wrong = await terminal.refund({ ...refund('F1', 100), origReference: 'SIMWRONG' });
		expect(wrong.status).toBe('declined');
		const right = await terminal.refund({ ...refund('F2', 100), origReference: outcome.reference });
		expect(right.status).toBe('approved');
	});

	it('voids an approved sale once, and refuses refunds afterwards', async () => {
		const { terminal } = await approvedSale(5000, 500);
		expect(await terminal.void(voidOf('V1'))).toMatchObject({
			status: 'approved',
			amount: 5000,
			tip: 500
		});
		expect((await terminal.void(voidOf('V2'))).status).toBe('declined');
		expect((await terminal.refund(refund('F1', 100))).status).toBe('declined');
	});

	it('refuses to void a sale that has refunds or was not approved', async () => {
		const { terminal } = await approvedSale();
		await terminal.refund(refund('F1', 100));
		expect((await terminal.void(voidOf('V1'))).status).toBe('declined');
		terminal.setScenario('cancel');
		await terminal.sale(sale('CXL'));
		expect((await terminal.void(voidOf('V2', 'CXL'))).status).toBe('declined');
	});

	it('answers a query for a refund by kind', async () => {
		const { terminal } = await approvedSale();
		await terminal.refund(refund('F1', 100));
		const q = { merchantOrderNo: 'F1', amount: 100, currency: 'USD' };
		expect((await terminal.query({ ...q, kind: 'refund' })).status).toBe('approved');
		expect((await terminal.query({ ...q, kind: 'sale' })).status).toBe('unknown');
	});
});
